using System.Text.Json;

namespace Paraphrase.Cli.Tests;

public sealed class HelpAndInspectTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("tokenize", "--help")]
    [InlineData("data", "--help")]
    [InlineData("data", "inspect", "--help")]
    public async Task EveryCommandHasHelp(params string[] arguments)
    {
        var result = await CliRunner.RunAsync(arguments);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("USAGE:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectReportsMrpcStatisticsAsJson()
    {
        var result = await CliRunner.RunAsync("data", "inspect", "--input", CliRunner.FixturePath("mrpc", "train.tsv"), "--json");

        Assert.Equal(0, result.ExitCode);
        var stats = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("statistics");
        Assert.Equal(3668, stats.GetProperty("rows").GetInt32());
        Assert.Equal(2474, stats.GetProperty("positives").GetInt32());
        Assert.Equal(103, stats.GetProperty("token_lengths").GetProperty("max").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", stats.GetProperty("content_hash").GetString());
    }

    [Fact]
    public async Task InspectShowsATable()
    {
        var result = await CliRunner.RunAsync("data", "inspect", "--input", CliRunner.FixturePath("mrpc", "dev.tsv"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("408", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("content sha256", result.StandardOutput, StringComparison.Ordinal);
    }
}
