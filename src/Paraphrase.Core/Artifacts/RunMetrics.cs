namespace Paraphrase.Core.Artifacts;

/// <summary>
/// metrics.json of a run: its status, what it was trained on and with, the per-epoch history, the best
/// epoch, the loss of every step and how long and how much memory it took. The exporter copies its history
/// into each manifest and takes its training file for int8 calibration.
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

    /// <summary>The file's name inside a run directory.</summary>
    public const string FileName = "metrics.json";

    public EpochRecord? Best => History.FirstOrDefault(h => h.Epoch == BestEpoch);

    /// <summary>Writes the file atomically: a reader sees the previous version or this one.</summary>
    public void Save(string path) => ArtifactJson.Write(path, this);

    /// <exception cref="InvalidDataException">The file is empty or not a metrics file.</exception>
    public static RunMetrics Load(string path) => ArtifactJson.Read<RunMetrics>(path, "metrics");
}
