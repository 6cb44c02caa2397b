using System.Globalization;
using System.Text.RegularExpressions;

namespace Paraphrase.Serving.Tests;

/// <summary>
/// Samples of a Prometheus text exposition, read by metric name and labels (whatever other labels the exporter adds),
/// keeping only one server's series when several servers share the test process.
/// </summary>
internal sealed partial class PrometheusText(string text, string? server = null)
{
    public IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> Samples { get; } =
        [.. Parse(text).Where(s => server is null || s.Item2.GetValueOrDefault("otel_scope_" + ServingMetrics.ServerTag, server) == server)];

    /// <summary>The value of the one sample of <paramref name="name"/> that has <paramref name="labels"/>; null when there is none.</summary>
    public double? Value(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).Select(s => (double?)s.Value).SingleOrDefault();

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    private static List<(string, IReadOnlyDictionary<string, string>, double)> Parse(string text) =>
    [
        .. text.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(line => Sample().Match(line)).Where(m => m.Success).Select(m => (
            m.Groups["name"].Value,
            (IReadOnlyDictionary<string, string>)Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value),
            double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))),
    ];

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
