using System.Text.Json;
using Paraphrase.Core.Artifacts;

namespace Paraphrase.Training.FineTuning;

/// <summary>
/// Where a run stands, saved with every checkpoint so <c>--resume</c> continues exactly: the next batch,
/// step counters, history, the best result so far, and a fingerprint of what the run was started with.
/// Data order and dropout are derived from (seed, epoch, step), so no random-generator state is needed.
/// </summary>
public sealed record TrainerState
{
    public required string Fingerprint { get; init; }

    /// <summary>The epoch to run next (0-based).</summary>
    public int Epoch { get; init; }

    /// <summary>The batch of <see cref="Epoch"/> to run next.</summary>
    public int BatchInEpoch { get; init; }

    public int OptimizerSteps { get; init; }

    /// <summary>Loss of every optimizer step so far (the loss curve).</summary>
    public List<double> StepLosses { get; init; } = [];

    public List<EpochRecord> History { get; init; } = [];

    public double? BestValue { get; init; }

    public int? BestEpoch { get; init; }

    public int EpochsWithoutImprovement { get; init; }

    public double TrainingSeconds { get; init; }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonDefaults.Options));

    public static TrainerState Load(string path) =>
        JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), JsonDefaults.Options)
        ?? throw new Modeling.ModelFormatException($"{path}: empty trainer state");
}
