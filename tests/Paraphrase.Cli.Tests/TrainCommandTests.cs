using System.Text.Json;
using Paraphrase.Cli.Commands;

namespace Paraphrase.Cli.Tests;

/// <summary>train, evaluate and model import through the real program, on the tiny-bert fixture.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-cli-train-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] QuickTrain(string output, params string[] extra) =>
    [
        "train", "--train", CliRunner.FixturePath("mrpc", "dev.tsv"), "--dev", CliRunner.FixturePath("mrpc", "dev.tsv"),
        "--base-model", CliRunner.FixturePath("tiny-bert"), "--output", output, "--device", "cpu",
        "--learning-rate", "1e-3", "--max-train-pairs", "48", "--epochs", "2", .. extra,
    ];

    [Fact]
    public async Task TrainWritesAModelMetricsReportAndPlotsThenEvaluateScoresIt()
    {
        string run = Path.Combine(_directory, "run");

        var train = await CliRunner.RunAsync(QuickTrain(run));
        var evaluate = await CliRunner.RunAsync("evaluate", "--model", run, "--data", CliRunner.FixturePath("mrpc", "dev.tsv"), "--output", Path.Combine(_directory, "eval.json"));

        Assert.True(train.ExitCode == 0, train.StandardError);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "metrics.json", "report.md", "loss.png", "confusion.png" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        }

        using var metrics = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run, "metrics.json")));
        Assert.Equal("completed", metrics.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, metrics.RootElement.GetProperty("history").GetArrayLength());
        Assert.Equal(12, metrics.RootElement.GetProperty("step_losses").GetArrayLength());
        Assert.Contains("Dev metrics per epoch", train.StandardOutput, StringComparison.Ordinal);

        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        using var scores = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "eval.json")));
        Assert.Equal(408, scores.RootElement.GetProperty("count").GetInt32());
        foreach (var field in new[] { "loss", "accuracy", "f1", "precision", "recall" })
        {
            Assert.InRange(scores.RootElement.GetProperty(field).GetDouble(), 0, 10);
        }

        Assert.Equal(2, scores.RootElement.GetProperty("confusion").GetArrayLength());
    }

    [Fact]
    public async Task AnExistingRunIsNotOverwrittenByAccident()
    {
        string run = Path.Combine(_directory, "existing");
        Directory.CreateDirectory(run);
        await File.WriteAllTextAsync(Path.Combine(run, "keep.txt"), "mine");

        var result = await CliRunner.RunAsync(QuickTrain(run));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already exists and is not empty; use --resume", result.StandardError, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "keep.txt")));
    }

    /// <summary>
    /// The interrupted run asks for 100,000 epochs, so no machine finishes it before the signal arrives; the signal is sent
    /// once training has started (its first line), and the trainer checks for it before every step. The resumed run
    /// ends through early stopping: a learning rate too small to change a prediction never improves on epoch 1, and
    /// early stopping, unlike the epoch count, may change on resume.
    /// </summary>
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task ASignalSavesACheckpointAndResumeFinishesTheRun(string signal)
    {
        string run = Path.Combine(_directory, $"interrupted-{signal}");
        string[] arguments = QuickTrain(run, "--epochs", "100000", "--learning-rate", "1e-12");
        bool started = false;

        var interrupted = await CliRunner.RunAsync(arguments, async (process, stderr) =>
        {
            started = await CliRunner.WaitForErrorAsync(process, stderr, "optimizer steps");
            await CliRunner.SignalAsync(process, signal);
        });
        var resumed = await CliRunner.RunAsync([.. arguments, "--resume", "--early-stopping", "1"]);

        Assert.True(started, interrupted.StandardError);
        Assert.True(interrupted.ExitCode == 130, interrupted.StandardError);
        Assert.Contains("checkpoint saved", interrupted.StandardError, StringComparison.Ordinal);
        Assert.Contains("--resume", interrupted.StandardError, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.StandardError);
        Assert.Contains("Resuming at epoch", resumed.StandardError, StringComparison.Ordinal);
        Assert.Contains("Early stopping", resumed.StandardError, StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run, "metrics.json")));
        Assert.Equal("completed", metrics.RootElement.GetProperty("status").GetString());
        int epochs = metrics.RootElement.GetProperty("history").GetArrayLength();
        Assert.InRange(epochs, 2, 100_000 - 1);
        // 48 pairs in batches of 8: 6 steps an epoch, none lost or repeated across the interruption.
        Assert.Equal(6 * epochs, metrics.RootElement.GetProperty("step_losses").GetArrayLength());
    }

    [Fact]
    public void TheFastProfileSetsItsOptionsAndExplicitOptionsWin()
    {
        var fast = new TrainCommand.Options { Profile = "fast" }.ToTrainingOptions();
        var mine = new TrainCommand.Options { Profile = "fast", BatchSize = 16, LearningRate = 3e-5, LogEvery = 1 }.ToTrainingOptions();
        var seed = new TrainCommand.Options().ToTrainingOptions();

        Assert.Equal((true, false, 32, 1e-4, 50, true), (fast.Bf16, fast.GroupByLength, fast.BatchSize, fast.LearningRate, fast.LogEvery, fast.CheckpointAtEndOnly));
        Assert.Equal((16, 3e-5, 1, true), (mine.BatchSize, mine.LearningRate, mine.LogEvery, mine.Bf16));
        Assert.Equal(new Paraphrase.Core.Artifacts.TrainingOptions(), seed);
    }

    [Fact]
    public async Task AnUnknownProfileIsAClearError()
    {
        var result = await CliRunner.RunAsync(["train", "--train", "a.tsv", "--dev", "b.tsv", "--output", Path.Combine(_directory, "x"), "--profile", "turbo"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--profile 'turbo' is not one of seed, fast", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneClassTrainingDataIsAClearError()
    {
        string data = Path.Combine(_directory, "one-class.tsv");
        await File.WriteAllTextAsync(data, "sentence1\tsentence2\tlabel\na\tb\t1\nc\td\t1\n");

        var result = await CliRunner.RunAsync("train", "--train", data, "--dev", data, "--base-model", CliRunner.FixturePath("tiny-bert"),
            "--output", Path.Combine(_directory, "one"), "--device", "cpu");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("needs examples of both classes", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelImportProvesTheTorchExport()
    {
        var result = await CliRunner.RunAsync("model", "import", "--onnx", CliRunner.FixturePath("tiny-bert", "model.torch.onnx"),
            "--vocab", CliRunner.FixturePath("tiny-bert", "vocab.txt"), "--output", Path.Combine(_directory, "imported"));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("Imported 2 layers × 32 (2 heads)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfflineHubIdIsAClearError()
    {
        var result = await CliRunner.RunAsync("model", "pull", "no-such-org/no-such-model", "--output", Path.Combine(_directory, "hub"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-org/no-such-model", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }
}
