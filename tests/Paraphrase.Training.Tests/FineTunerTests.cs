using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.FineTuning;
using Paraphrase.Training.Runtime;
using static TorchSharp.torch;

namespace Paraphrase.Training.Tests;

/// <summary>The training loop on the tiny-bert model and a slice of MRPC: determinism, resume, outputs.</summary>
public sealed class FineTunerTests : IDisposable
{
    private static readonly TrainingOptions Quick = new() { Epochs = 2, BatchSize = 8, LearningRate = 1e-3, Device = "cpu", Seed = 7 };

    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-train-").FullName;

    public FineTunerTests() => LibTorchRuntime.EnsureLoaded();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SameSeedGivesTheSameLossesAndTheRunDirectoryIsAModel()
    {
        var first = Train(Quick, "a");
        var second = Train(Quick, "b");

        Assert.Equal(16, first.StepLosses.Count);
        Assert.Equal(first.StepLosses, second.StepLosses);
        Assert.Equal(2, first.History.Count);
        var reloaded = HuggingFaceDirectory.Load(Path.Combine(_directory, "a"), headMayBeMissing: false);
        Assert.Empty(reloaded.Report.Missing);
        reloaded.Model.Dispose();
    }

    [Fact]
    public void ResumingAfterAnInterruptionEndsWhereAnUninterruptedRunEnds()
    {
        var uninterrupted = Train(Quick, "straight");

        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver(step => { if (step == 5) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => Train(Quick, "resumed", observer, cancellationToken: cancel.Token));
        var resumed = Train(Quick, "resumed", resume: true);

        Assert.Equal(uninterrupted.StepLosses, resumed.StepLosses);
        Assert.Equal(uninterrupted.History.Select(h => h.Evaluation.Loss), resumed.History.Select(h => h.Evaluation.Loss));
    }

    [Fact]
    public void AStepCheckpointResumesToTheSameEndAsAnUninterruptedRun()
    {
        // What a killed worker leaves: the last step checkpoint copied away mid-run. Resuming a copy of it must land
        // where the uninterrupted run lands; checkpointing itself must not change the run either.
        var uninterrupted = Train(Quick, "straight");
        string copy = Path.Combine(_directory, "copied");
        var checkpoints = new List<int>();
        var observer = new RecordingObserver(_ => { }, directory =>
        {
            var state = TrainerState.Load(new RunLayout(directory).CheckpointState);
            checkpoints.Add(state.OptimizerSteps);
            if (state.OptimizerSteps == 3)
            {
                CopyDirectory(directory, copy);
            }
        });
        var checkpointed = Train(Quick, "checkpointed", observer, cadence: new CheckpointCadence { Steps = 3 });
        var resumed = Train(Quick, "copied", resume: true);

        Assert.Equal([3, 6, 8, 11, 14, 16], checkpoints);
        Assert.Equal(uninterrupted.StepLosses, checkpointed.StepLosses);
        Assert.Equal(uninterrupted.StepLosses, resumed.StepLosses);
        Assert.Equal(uninterrupted.History.Select(h => h.Evaluation.Loss), resumed.History.Select(h => h.Evaluation.Loss));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, "straight", "model.safetensors")), File.ReadAllBytes(Path.Combine(copy, "model.safetensors")));
    }

    [Fact]
    public void ACheckpointIsDueAfterItsStepsOrItsTime()
    {
        var cadence = new CheckpointCadence { Steps = 100, Interval = TimeSpan.FromMinutes(5) };

        Assert.False(cadence.IsDue(99, TimeSpan.FromMinutes(4)));
        Assert.True(cadence.IsDue(100, TimeSpan.Zero));
        Assert.True(cadence.IsDue(1, TimeSpan.FromMinutes(5)));
        Assert.False(CheckpointCadence.EpochsOnly.IsDue(int.MaxValue, TimeSpan.MaxValue));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public void GradientAccumulationAndClippingAndWarmupRun()
    {
        var state = Train(Quick with { GradientAccumulation = 2, MaxGradNorm = 1.0, WarmupRatio = 0.25, NoDecayOnBiasAndNorm = true, GroupByLength = true }, "options");

        Assert.Equal(8, state.StepLosses.Count);
        Assert.All(state.StepLosses, l => Assert.True(double.IsFinite(l)));
    }

    [Fact]
    public void EarlyStoppingEndsTheRunWhenTheMetricStopsImproving()
    {
        // A learning rate too small to change any prediction: accuracy never improves after epoch 1.
        var state = Train(Quick with { Epochs = 4, LearningRate = 1e-12, EarlyStoppingPatience = 1 }, "early");

        Assert.Equal(2, state.History.Count);
        Assert.Equal(1, state.BestEpoch);
    }

    [Fact]
    public void ReadingTheLossEveryFewStepsReportsTheSameStepsInOrder()
    {
        var everyStep = new List<int>();
        var everyFive = new List<int>();
        var each = Train(Quick, "each", new RecordingObserver(everyStep.Add));
        var batched = Train(Quick with { LogEvery = 5 }, "batched", new RecordingObserver(everyFive.Add));

        Assert.Equal(each.StepLosses, batched.StepLosses);
        Assert.Equal(Enumerable.Range(1, 16), everyStep);
        Assert.Equal(everyStep, everyFive);
    }

    [Fact]
    public void CheckpointAtEndOnlySavesOnceAndChangesNothingElse()
    {
        var epochly = new List<int>();
        var atEnd = new List<int>();
        var usual = Train(Quick, "usual", new RecordingObserver(_ => { }, d => epochly.Add(TrainerState.Load(new RunLayout(d).CheckpointState).OptimizerSteps)));
        var once = Train(Quick with { CheckpointAtEndOnly = true }, "once",
            new RecordingObserver(_ => { }, d => atEnd.Add(TrainerState.Load(new RunLayout(d).CheckpointState).OptimizerSteps)));

        Assert.Equal([8, 16], epochly);
        Assert.Equal([16], atEnd);
        Assert.Equal(usual.StepLosses, once.StepLosses);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, "usual", "model.safetensors")), File.ReadAllBytes(Path.Combine(_directory, "once", "model.safetensors")));
    }

    [Fact]
    public void TheFastProfileTrainsInBf16AndResumesExactly()
    {
        var fast = TrainingProfiles.Get(TrainingProfiles.Fast) with { Epochs = 2, BatchSize = 4, Device = "cpu", Seed = 7 };
        var straight = Train(fast, "fast");

        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver(step => { if (step == 5) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => Train(fast, "fast-resumed", observer, cancellationToken: cancel.Token));
        var resumed = Train(fast, "fast-resumed", resume: true);

        Assert.All(straight.StepLosses, loss => Assert.True(double.IsFinite(loss)));
        Assert.Equal(straight.StepLosses, resumed.StepLosses);
    }

    [Fact]
    public void OneClassTrainingDataIsRefused()
    {
        var error = Assert.Throws<TrainingException>(() => Train(Quick, "one-class", onlyLabel: 1));

        Assert.Contains("both classes", error.Message, StringComparison.Ordinal);
    }

    private TrainerState Train(TrainingOptions options, string name, ITrainingObserver? observer = null,
        bool resume = false, int? onlyLabel = null, CheckpointCadence? cadence = null, CancellationToken cancellationToken = default)
    {
        manual_seed((long)options.Seed);
        var loaded = HuggingFaceDirectory.Load(TinyBert.Directory, headMayBeMissing: false);
        var tokenizer = new BertWordPieceTokenizer(loaded.Vocabulary, new BertTokenizerOptions { MaxLength = 64 });
        var dataset = DatasetReader.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mrpc", "dev.tsv"));
        var train = TokenizedDataset.From(dataset, tokenizer, take: 64);
        if (onlyLabel is int label)
        {
            train = train with { Labels = [.. train.Labels.Select(_ => label)] };
        }

        var dev = TokenizedDataset.From(dataset, tokenizer, take: 32);
        using var model = loaded.Model;
        return new FineTuner(options, observer ?? new RecordingObserver(_ => { }), cadence)
            .Run(model, loaded.Vocabulary, train, dev, new RunLayout(Path.Combine(_directory, name)), CPU, resume, cancellationToken);
    }

    private sealed class RecordingObserver(Action<int> onStep, Action<string>? onCheckpoint = null) : ITrainingObserver
    {
        public void OnCheckpoint(string runDirectory) => onCheckpoint?.Invoke(runDirectory);

        public void OnStart(int totalSteps, int completedSteps, string device)
        {
        }

        public void OnStep(TrainingStepInfo step) => onStep(step.Step);

        public void OnEpoch(EpochRecord record)
        {
        }

        public void OnMessage(string message)
        {
        }
    }
}
