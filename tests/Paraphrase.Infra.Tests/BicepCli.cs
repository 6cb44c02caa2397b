using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paraphrase.Infra.Tests;

/// <summary>One finding of <c>bicep lint</c> or <c>bicep build</c>, from their SARIF output.</summary>
internal sealed record BicepDiagnostic(string File, int Line, string Level, string Rule, string Message)
{
    public override string ToString() => $"{File}({Line}): {Level} {Rule}: {Message}";
}

/// <summary>The Bicep CLI of the Azure.Bicep.CommandLine.linux-x64 package.</summary>
internal static class BicepCli
{
    /// <summary>Lints every .bicep file under infra/ in one run (the linter compiles each file too).</summary>
    public static async Task<IReadOnlyList<BicepDiagnostic>> LintAllAsync()
    {
        var result = await RunAsync("lint", "--pattern", "**/*.bicep", "--diagnostics-format", "sarif");
        var diagnostics = ParseSarif(result.Output);
        // Exit code 1 means findings, which the SARIF lists; anything else is the CLI failing.
        if (result.ExitCode is not (0 or 1) || (result.ExitCode == 1 && diagnostics.Count == 0))
        {
            throw new InvalidOperationException($"bicep lint failed: {result.Describe()}");
        }

        return diagnostics;
    }

    /// <summary>Compiles one file (relative to infra/) to its ARM template, with what the compiler reported.</summary>
    public static async Task<(JsonObject Template, IReadOnlyList<BicepDiagnostic> Diagnostics)> BuildAsync(string file)
    {
        // The template goes to stdout, the SARIF diagnostics to stderr.
        var result = await RunAsync("build", file, "--stdout", "--diagnostics-format", "sarif");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build {file} failed: {result.Describe()}");
        }

        var template = JsonNode.Parse(result.Output)?.AsObject() ?? throw new InvalidOperationException($"bicep build {file} printed no template");
        return (template, ParseSarif(result.Error));
    }

    private static Task<ProcessResult> RunAsync(params string[] arguments)
    {
        if (!File.Exists(InfraPaths.BicepExecutable))
        {
            throw new FileNotFoundException($"the bicep binary is not at {InfraPaths.BicepExecutable} (the package is linux-x64 only)");
        }

        return ProcessRunner.RunAsync(InfraPaths.BicepExecutable, arguments, InfraPaths.Infra);
    }

    /// <summary>With --pattern, bicep prints one SARIF document per file, one after another.</summary>
    private static List<BicepDiagnostic> ParseSarif(string text)
    {
        var diagnostics = new List<BicepDiagnostic>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
            {
                foreach (var result in run.GetProperty("results").EnumerateArray())
                {
                    var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                    diagnostics.Add(new BicepDiagnostic(
                        Path.GetRelativePath(InfraPaths.RepositoryRoot, new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath),
                        location.GetProperty("region").GetProperty("startLine").GetInt32(),
                        result.GetProperty("level").GetString()!,
                        result.GetProperty("ruleId").GetString()!,
                        result.GetProperty("message").GetProperty("text").GetString()!));
                }
            }
        }

        return diagnostics;
    }
}
