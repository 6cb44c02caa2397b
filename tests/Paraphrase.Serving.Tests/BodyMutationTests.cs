using System.Text;

namespace Paraphrase.Serving.Tests;

/// <summary>
/// Hundreds of spoiled bodies (<see cref="BodyMutator"/>, fixed seeds) for every endpoint that reads one: never a 5xx,
/// every 4xx problem details, and the server still right afterwards.
/// </summary>
public sealed class BodyMutationTests(BodyFuzzServer server) : IClassFixture<BodyFuzzServer>
{
    [Theory]
    [InlineData(BodyEndpoints.Classify, 20250101, 400)]
    [InlineData(BodyEndpoints.StartRun, 20250102, 150)]
    [InlineData(BodyEndpoints.Rollback, 20250103, 100)]
    [InlineData(BodyEndpoints.Promote, 20250104, 100)]
    public async Task SpoiledBodiesNeverGetAServerError(string path, int seed, int count)
    {
        var mutator = new BodyMutator(seed);
        var valid = BodyEndpoints.Valid.Where(v => v.Path == path).Select(v => Encoding.UTF8.GetBytes(v.Body)).ToArray();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        for (int i = 0; i < count; i++)
        {
            byte[] body = mutator.Mutate(valid[i % valid.Length]);
            string? contentType = mutator.ContentType();
            var response = await server.PostAsync(path, body, contentType);
            statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            if (await BodyFuzzServer.JudgeAsync(response) is { } failure)
            {
                failures.Add($"#{i} ({contentType ?? "no type"}) {Show(body)} → {failure}");
            }
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} of {count} bad answers:\n{string.Join("\n", failures)}");
        // The mutations must not all be refused at the first check, or they test nothing past it.
        Assert.True(statuses.Count >= 3, $"seed {seed}: only statuses {string.Join(", ", statuses.Keys)}");
        await server.AssertStillHealthyAsync();
    }

    /// <summary>A body as a C# string literal would write it, bytes that are not printable ASCII as \xNN.</summary>
    private static string Show(byte[] body)
    {
        var text = new StringBuilder("\"");
        foreach (byte b in body.Take(200))
        {
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return text.Append(body.Length > 200 ? "…\"" : "\"").ToString();
    }
}
