using System.Text.Json;
using Microsoft.AspNetCore.Routing;

namespace Paraphrase.Serving.Tests;

/// <summary>
/// The document generated from the endpoints, on a host that serves inference and the management API: every endpoint
/// is described the way API tools expect (operation id, summary, request and response schemas, problem-details errors,
/// security), and nothing else.
/// </summary>
public sealed class OpenApiDocumentTests(BodyFuzzServer server) : IClassFixture<BodyFuzzServer>
{
    [Fact]
    public async Task EveryEndpointIsAnOperationWithAnIdASummaryAndItsAnswers()
    {
        using var document = JsonDocument.Parse(await server.Client.GetStringAsync(ServingOpenApi.Path));
        var root = document.RootElement;
        Assert.StartsWith("3.1", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(root.GetProperty("servers").EnumerateArray());

        var operations = Operations(root).ToList();
        var expected = server.Endpoints.Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .OfType<RouteEndpoint>().Where(e => e.RoutePattern.RawText != ServingOpenApi.Path)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Select(m => $"{m.ToLowerInvariant()} {Normalize(e.RoutePattern.RawText!)}") ?? [])
            .Append("get /metrics").Order().ToList();
        Assert.Equal(expected, operations.Select(o => o.Key).Order().ToList());
        Assert.Contains("post /api/pipeline/runs/{id}/terminate", expected);

        foreach (var (key, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("operationId", out _), $"{key} has no operationId");
            Assert.True(operation.TryGetProperty("summary", out _), $"{key} has no summary");
            var responses = operation.GetProperty("responses");
            Assert.Contains(responses.EnumerateObject(), r => r.Name.StartsWith('2'));
            foreach (var error in responses.EnumerateObject().Where(r => r.Name.StartsWith('4') || r.Name.StartsWith('5')))
            {
                if (key != "get /metrics")
                {
                    Assert.True(error.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{key} {error.Name} is not problem details");
                }
            }
        }
    }

    [Fact]
    public async Task KeysAreDescribedAndEveryOperationButHealthNeedsOne()
    {
        using var document = JsonDocument.Parse(await server.Client.GetStringAsync(ServingOpenApi.Path));
        var root = document.RootElement;
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-API-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());

        foreach (var (key, operation) in Operations(root))
        {
            bool open = key == "get /api/health";
            Assert.Equal(!open, operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0);
            Assert.Equal(!open, operation.GetProperty("responses").TryGetProperty("401", out _));
        }
    }

    [Theory]
    [InlineData("post /api/paraphrase", "ParaphraseRequest", true)]
    [InlineData("post /api/pipeline/runs", "StartRunBody", true)]
    [InlineData("post /api/pipeline/champion/rollback", "RollbackBody", false)]
    [InlineData("post /api/pipeline/champion/promote", "PromoteBody", true)]
    public async Task BodiesReadByTheStrictParserAreDescribedByTheirRecords(string key, string schema, bool required)
    {
        using var document = JsonDocument.Parse(await server.Client.GetStringAsync(ServingOpenApi.Path));
        var body = Operations(document.RootElement).Single(o => o.Key == key).Value.GetProperty("requestBody");
        Assert.Equal(required, body.TryGetProperty("required", out var flag) && flag.GetBoolean());
        Assert.Equal($"#/components/schemas/{schema}", body.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(document.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty(schema, out _));
    }

    private static IEnumerable<KeyValuePair<string, JsonElement>> Operations(JsonElement root) =>
        root.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch" or "head")
            .Select(o => new KeyValuePair<string, JsonElement>($"{o.Name} {path.Name}", o.Value)));

    // {**path} in a route is {path} in the document.
    private static string Normalize(string route) => "/" + route.TrimStart('/').Replace("{**", "{", StringComparison.Ordinal);
}
