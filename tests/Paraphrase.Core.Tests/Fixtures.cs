using System.Text.Json;

namespace Paraphrase.Core.Tests;

/// <summary>Paths of the test fixtures copied beside the test assembly.</summary>
internal static class Fixtures
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static IEnumerable<JsonElement> ReadJsonLines(params string[] parts) =>
        File.ReadLines(Path(parts)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone());

    public static int[] Ints(this JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetInt32())];
}
