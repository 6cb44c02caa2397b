using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.IO;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.FineTuning;
using Paraphrase.Training.Runtime;

namespace Paraphrase.Training.Tests;

/// <summary>
/// <see cref="TrainingRun"/> on the tiny-bert fixture: interruption at a chosen optimizer step (no timing involved),
/// resume to the uninterrupted result, and expected failures as a status.
/// </summary>
public sealed class TrainingRunTests : IDisposable
{
    private static readonly string DevFile = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mrpc", "dev.tsv");

    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-training-run-").FullName;

    public TrainingRunTests() => LibTorchRuntime.EnsureLoaded();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void CancellingAtAStepSavesThatStepAndResumingEndsWhereAnUninterruptedRunEnds()
    {
        var straight = TrainingRun.Execute(Request("straight"), NullTrainingObserver.Instance, null, CancellationToken.None);

        using var cancel = new CancellationTokenSource();
        var interrupted = TrainingRun.Execute(Request("resumed"), new CancelAtStep(5, cancel), null, cancel.Token);
        int checkpointStep = TrainerState.Load(interrupted.Layout.CheckpointState).OptimizerSteps;
        string metricsStatus = RunMetrics.Load(interrupted.Layout.Metrics).Status;
        var resumed = TrainingRun.Execute(Request("resumed") with { Resume = true }, NullTrainingObserver.Instance, null, CancellationToken.None);

        Assert.Equal(TrainingRunStatus.Completed, straight.Status);
        Assert.Equal(16, straight.Metrics!.StepLosses.Count);
        Assert.Equal(TrainingRunStatus.Interrupted, interrupted.Status);
        Assert.Null(interrupted.Error);
        Assert.Equal(RunMetrics.Interrupted, interrupted.Metrics!.Status);
        Assert.Equal(5, interrupted.Metrics.StepLosses.Count);
        Assert.Equal(5, checkpointStep);
        Assert.Equal(RunMetrics.Interrupted, metricsStatus);

        Assert.Equal(TrainingRunStatus.Completed, resumed.Status);
        Assert.Equal(straight.Metrics.StepLosses, resumed.Metrics!.StepLosses);
        Assert.Equal(straight.Metrics.History.Select(h => h.Evaluation), resumed.Metrics.History.Select(h => h.Evaluation), EvaluationComparer.Instance);
        Assert.Equal(straight.Metrics.Train, resumed.Metrics.Train);
        Assert.Equal(Weights(straight), Weights(resumed));
    }

    [Fact]
    public void AlreadyTokenizedDataIsTrainedOnAsIs()
    {
        var vocabulary = WordPieceVocabulary.Load(Path.Combine(TinyBert.Directory, "vocab.txt"));
        var tokenizer = new BertWordPieceTokenizer(vocabulary, new BertTokenizerOptions { MaxLength = 64 });
        var data = TokenizedDataset.From(DatasetReader.Read(DevFile), tokenizer, take: 40);

        var request = Request("tokenized");
        var result = TrainingRun.Execute(
            request with { TrainFile = null, DevFile = "not read.tsv", TrainData = data, DevData = data, Options = request.Options with { MaxTrainPairs = 32 } },
            NullTrainingObserver.Instance, null, CancellationToken.None);

        Assert.True(result.Status == TrainingRunStatus.Completed, result.Error);
        Assert.Equal(32, result.Metrics!.Train.Pairs);
        Assert.Equal(data.ContentHash + ":first32", result.Metrics.Train.ContentHash);
        Assert.Equal(40, result.Metrics.Dev.Pairs);
        Assert.True(File.Exists(Path.Combine(result.Layout.Directory, "model.safetensors")));
    }

    [Fact]
    public void ExpectedFailuresComeBackAsAStatusWithTheirCause()
    {
        string existing = Path.Combine(_directory, "existing");
        Directory.CreateDirectory(existing);
        File.WriteAllText(Path.Combine(existing, "keep.txt"), "mine");
        string oneClass = Path.Combine(_directory, "one-class.tsv");
        File.WriteAllText(oneClass, "sentence1\tsentence2\tlabel\na\tb\t1\nc\td\t1\n");

        var overwrite = Execute(Request("existing"));
        var resume = Execute(Request("never-started") with { Resume = true });
        var missing = Execute(Request("missing") with { TrainFile = Path.Combine(_directory, "no-such.tsv") });
        var oneLabel = Execute(Request("one") with { TrainFile = oneClass });
        var options = Execute(Request("options") with { Options = new TrainingOptions { Epochs = 0 } });

        Assert.All(new[] { overwrite, resume, missing, oneLabel, options }, r => Assert.Equal(TrainingRunStatus.Failed, r.Status));
        Assert.Contains("already exists and is not empty", overwrite.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(existing, "keep.txt")));
        Assert.Contains("no checkpoint to resume from", resume.Error, StringComparison.Ordinal);
        Assert.Contains("no-such.tsv", missing.Error, StringComparison.Ordinal);
        Assert.Contains("both classes", oneLabel.Error, StringComparison.Ordinal);
        Assert.Contains("--epochs", options.Error, StringComparison.Ordinal);
        Assert.All(new[] { overwrite, resume, missing, oneLabel, options }, r => Assert.Null(r.Metrics));
    }

    private static TrainingRunResult Execute(TrainingRequest request) =>
        TrainingRun.Execute(request, NullTrainingObserver.Instance, null, CancellationToken.None);

    private TrainingRequest Request(string name) => new()
    {
        BaseModel = TinyBert.Directory,
        TrainFile = DevFile,
        DevFile = DevFile,
        Options = new TrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 1e-3, Device = "cpu", Seed = 7, MaxLength = 64, MaxTrainPairs = 64 },
        OutputDirectory = Path.Combine(_directory, name),
    };

    private static string Weights(TrainingRunResult run) => FileHash.Sha256(Path.Combine(run.Layout.Directory, "model.safetensors"));

    /// <summary>Cancels the run as soon as the optimizer has taken step <paramref name="step"/>: the run stops before the next one.</summary>
    private sealed class CancelAtStep(int step, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void OnStart(int totalSteps, int completedSteps, string device)
        {
        }

        public void OnStep(TrainingStepInfo info)
        {
            if (info.Step == step)
            {
                cancel.Cancel();
            }
        }

        public void OnEpoch(EpochRecord record)
        {
        }

        public void OnMessage(string message)
        {
        }
    }

    /// <summary>Evaluations compare by value (the confusion matrix is an array, which records compare by reference).</summary>
    private sealed class EvaluationComparer : IEqualityComparer<EvaluationResult>
    {
        public static EvaluationComparer Instance { get; } = new();

        public bool Equals(EvaluationResult? x, EvaluationResult? y) =>
            x is not null && y is not null && x.Loss == y.Loss && x.Metrics.Accuracy == y.Metrics.Accuracy && x.Metrics.F1 == y.Metrics.F1
            && x.Metrics.Confusion.SelectMany(r => r).SequenceEqual(y.Metrics.Confusion.SelectMany(r => r));

        public int GetHashCode(EvaluationResult obj) => obj.Loss.GetHashCode();
    }
}
