using System.Text.Json;

namespace Paraphrase.Cli.Tests;

/// <summary>export and predict through the real program, on the tiny-bert fixture.</summary>
public sealed class ExportPredictCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-cli-export-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ExportThenPredictAFileAndOnePair()
    {
        string exported = Path.Combine(_directory, "export");
        string predictions = Path.Combine(_directory, "predictions.jsonl");

        var export = await CliRunner.RunAsync("export", "--model", CliRunner.FixturePath("tiny-bert"), "--output", exported, "--variant", "portable,int8");
        var file = await CliRunner.RunAsync("predict", "--model", exported, "--variant", "portable", "--input", CliRunner.FixturePath("mrpc", "dev.tsv"),
            "--output", predictions, "--provider", "cpu");
        var single = await CliRunner.RunAsync("predict", "--model", exported, "--sentence1", "The cat sat.", "--sentence2", "A cat was sitting.");

        Assert.True(export.ExitCode == 0, export.StandardError);
        Assert.True(File.Exists(Path.Combine(exported, "model.portable.onnx")) && File.Exists(Path.Combine(exported, "model.int8.onnx")));
        Assert.False(File.Exists(Path.Combine(exported, "model.fused.onnx")));
        Assert.True(file.ExitCode == 0, file.StandardError);
        var lines = await File.ReadAllLinesAsync(predictions);
        Assert.Equal(408, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.InRange(first.RootElement.GetProperty("label").GetInt32(), 0, 1);
        Assert.InRange(first.RootElement.GetProperty("probability").GetDouble(), 0, 1);
        Assert.Equal(2, first.RootElement.GetProperty("logits").GetArrayLength());
        Assert.True(single.ExitCode == 0, single.StandardError);
        Assert.Matches("^(paraphrase|not paraphrase) \\(probability of paraphrase 0\\.\\d{4}\\)", single.StandardOutput.Trim());
    }

    [Fact]
    public async Task Int8IsCalibratedOnTheNamedUnlabelledFileAndAMissingOneIsAClearError()
    {
        string exported = Path.Combine(_directory, "int8");
        string missing = Path.Combine(_directory, "missing.tsv");
        string unlabelled = Path.Combine(_directory, "unlabelled.tsv");
        var devRows = (await File.ReadAllLinesAsync(CliRunner.FixturePath("mrpc", "dev.tsv"))).Skip(1).Select(line => line.Split('\t'));
        await File.WriteAllLinesAsync(unlabelled, ["sentence1\tsentence2", .. devRows.Select(row => $"{row[3]}\t{row[4]}")]);

        var calibrated = await CliRunner.RunAsync("export", "--model", CliRunner.FixturePath("tiny-bert"), "--output", exported, "--variant", "int8",
            "--calibration", unlabelled);
        var refused = await CliRunner.RunAsync("export", "--model", CliRunner.FixturePath("tiny-bert"), "--output", Path.Combine(_directory, "other"),
            "--variant", "int8", "--calibration", missing);

        Assert.True(calibrated.ExitCode == 0, calibrated.StandardError);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(exported, "model.int8.json")));
        Assert.StartsWith("GPTQ, calibrated on 256 pairs", manifest.RootElement.GetProperty("quantization").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("missing.tsv", refused.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "other")));
    }

    [Fact]
    public async Task PredictingWithANonModelIsAClearError()
    {
        string bogus = Path.Combine(_directory, "bogus.onnx");
        await File.WriteAllTextAsync(bogus, "not a model");
        await File.WriteAllTextAsync(Path.Combine(_directory, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n");

        var result = await CliRunner.RunAsync("predict", "--model", bogus, "--sentence1", "a", "--sentence2", "b");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot load it; the file is corrupt or not an ONNX model", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVariantIsAUsageError()
    {
        var result = await CliRunner.RunAsync("export", "--model", "m", "--output", "o", "--variant", "fp16");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--variant 'fp16' is not all or a list of portable, fused, int8", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeRefusesToStartWithoutAnApiKeyOrNoAuth()
    {
        var result = await CliRunner.RunAsync("serve", "--model", CliRunner.FixturePath("tiny-bert", "model.torch.onnx"), "--port", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No API key is configured: pass --api-key", result.StandardError, StringComparison.Ordinal);
    }
}
