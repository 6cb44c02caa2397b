using System.Text.Json;
using Paraphrase.Core.IO;

namespace Paraphrase.Core.Artifacts;

/// <summary>
/// metrics.json of a run: its status, what it was trained on and with, the per-epoch history, the best
/// epoch, the loss of every step and how long and how much memory it took.
/// </summary>
public sealed record RunMetrics(
    string Status,
    string BaseModel,
    DatasetSummary Train,
    DatasetSummary Dev,
    TrainingOptions Options,
    string Device,
    IReadOnlyList<EpochRecord> History,
    int? BestEpoch,
    string BestMetric,
    double? BestValue,
    IReadOnlyList<double> StepLosses,
    double TrainingSeconds,
    double WallSeconds,
    long PeakMemoryBytes)
{
    public const string Completed = "completed", Interrupted = "interrupted";

    public EpochRecord? Best => History.FirstOrDefault(h => h.Epoch == BestEpoch);

    public void Save(string path) =>
        AtomicFile.WriteAsync(path, stream => JsonSerializer.SerializeAsync(stream, this, JsonDefaults.Options)).GetAwaiter().GetResult();

    public static RunMetrics Load(string path) =>
        JsonSerializer.Deserialize<RunMetrics>(File.ReadAllText(path), JsonDefaults.Options)
        ?? throw new InvalidDataException($"{path}: empty metrics file");
}

/// <summary>A dataset's file, identity and size.</summary>
public sealed record DatasetSummary(string Source, string ContentHash, int Pairs);
