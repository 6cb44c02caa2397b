using System.Text.Json;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Metrics;

namespace Paraphrase.Core.Tests.Artifacts;

/// <summary>Each artifact record reads back what it wrote, under the snake_case names other components and old files use.</summary>
public sealed class ArtifactFormatTests : IDisposable
{
    private static readonly EpochRecord Epoch = new(1, 0.61, 2.5e-5, new EvaluationResult(0.55, new ClassificationMetrics(4, 0.75, 0.8, 0.67, 1, [[1, 1], [0, 2]])), 12.5, 3.2);

    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-artifacts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RunMetricsRoundTripUnderTheirFileNames()
    {
        var metrics = new RunMetrics(RunMetrics.Interrupted, "minilm", new DatasetSummary("train.tsv", "abc", 40), new DatasetSummary("dev.tsv", "def", 4),
            new TrainingOptions { Epochs = 2, Bf16 = true, MaxTrainPairs = 40 }, "cpu", [Epoch, Epoch with { Epoch = 2, TrainLoss = double.NaN }], 1, "accuracy", 0.75,
            [0.7, 0.6], 25, 30, 1 << 20);
        string path = Path.Combine(_directory, RunMetrics.FileName);

        metrics.Save(path);
        var loaded = RunMetrics.Load(path);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("train.tsv", json.RootElement.GetProperty("train").GetProperty("source").GetString());
        Assert.Equal(0.8, json.RootElement.GetProperty("history")[0].GetProperty("evaluation").GetProperty("metrics").GetProperty("f1").GetDouble());
        Assert.Equal(2, json.RootElement.GetProperty("step_losses").GetArrayLength());
        Assert.Equal(metrics.Options, loaded.Options);
        Assert.Equal(metrics.Train, loaded.Train);
        Assert.Equal(metrics.StepLosses, loaded.StepLosses);
        Assert.True(double.IsNaN(loaded.History[1].TrainLoss));
        Assert.Equal(Epoch.Evaluation.Metrics.Confusion, loaded.Best!.Evaluation.Metrics.Confusion);
    }

    [Fact]
    public void ExportManifestRoundTripsWithTheSourceHistory()
    {
        var manifest = new ExportManifest(ExportFiles.Fused, ExportFiles.ModelFile(ExportFiles.Fused), ["input_ids", "attention_mask", "token_type_ids"], ["logits"], 17,
            ["ai.onnx", "com.microsoft"], "vocab-hash", "weights-hash", "/runs/a", new ExportVerification(408, 1e-6, 1, 0.8, 0.8) { MeanAbsoluteDifference = 2e-7 },
            null, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), [Epoch]);
        string path = Path.Combine(_directory, ExportFiles.ManifestFile(ExportFiles.Fused));

        manifest.Save(path);
        var loaded = ExportManifest.Load(path);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("vocab-hash", json.RootElement.GetProperty("vocabulary_sha256").GetString());
        Assert.Equal(2e-7, json.RootElement.GetProperty("parity").GetProperty("mean_absolute_difference").GetDouble());
        Assert.Equal(1, json.RootElement.GetProperty("source_metrics")[0].GetProperty("epoch").GetInt32());
        Assert.False(json.RootElement.TryGetProperty("quantization", out _));
        Assert.Equal(manifest.Parity, loaded.Parity);
        Assert.Equal(manifest.Created, loaded.Created);
        Assert.Equal(manifest.Inputs, loaded.Inputs);
        Assert.Equal(Epoch.Evaluation.Loss, loaded.SourceMetrics!.Single().Evaluation.Loss);
    }

    [Fact]
    public void EvaluationReportKeepsItsFlatFields()
    {
        var report = EvaluationReport.From(Epoch.Evaluation);
        string path = Path.Combine(_directory, "eval.json");

        report.Save(path);
        var loaded = EvaluationReport.Load(path);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(["count", "loss", "accuracy", "f1", "precision", "recall", "confusion"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(report.Confusion, loaded.Confusion);
        Assert.Equal(report with { Confusion = loaded.Confusion }, loaded);
    }

    [Fact]
    public void AFileOfAnotherShapeIsAClearError()
    {
        string path = Path.Combine(_directory, "broken.json");
        File.WriteAllText(path, "[1, 2]");

        var error = Assert.Throws<InvalidDataException>(() => ExportManifest.Load(path));

        Assert.Contains("not a valid export manifest file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    public void TrainingOptionsRefuseALearningRateThatIsNotAPositiveNumber(double learningRate)
    {
        // 1e999 in a pipeline.json or an API body reads as infinity: it must be refused here, not fail later.
        var error = Assert.Throws<ArgumentException>(() => new TrainingOptions { LearningRate = learningRate }.Validate());

        Assert.Contains("--learning-rate", error.Message, StringComparison.Ordinal);
    }
}
