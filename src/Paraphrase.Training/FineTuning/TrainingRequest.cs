using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;

namespace Paraphrase.Training.FineTuning;

/// <summary>What <see cref="TrainingRun"/> fine-tunes, on what, with what, and where the run goes.</summary>
public sealed record TrainingRequest
{
    /// <summary>The pretrained model, as <see cref="Import.PretrainedModelSource"/> accepts it (directory, .onnx, nuget:, hub id, alias); recorded in metrics.json as given.</summary>
    public required string BaseModel { get; init; }

    /// <summary>Labelled training pairs (.tsv/.csv/.jsonl); ignored when <see cref="TrainData"/> is given.</summary>
    public string? TrainFile { get; init; }

    /// <summary>Labelled pairs scored after every epoch; ignored when <see cref="DevData"/> is given.</summary>
    public string? DevFile { get; init; }

    /// <summary>Training pairs already tokenized with the base model's vocabulary (then <see cref="TrainFile"/> is not read).</summary>
    public TokenizedDataset? TrainData { get; init; }

    /// <summary>Dev pairs already tokenized (then <see cref="DevFile"/> is not read).</summary>
    public TokenizedDataset? DevData { get; init; }

    /// <summary>How the files are read; labels are required whatever this says.</summary>
    public DatasetOptions Dataset { get; init; } = new();

    public TrainingOptions Options { get; init; } = new();

    /// <summary>The run directory (see <see cref="RunLayout"/>).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Checkpoints besides the epoch ends (e.g. every few minutes, for a worker that may be killed).</summary>
    public CheckpointCadence Checkpoints { get; init; } = CheckpointCadence.EpochsOnly;

    /// <summary>Continue from the run's checkpoints/last; a run without one fails.</summary>
    public bool Resume { get; init; }

    /// <summary>Replace a non-empty <see cref="OutputDirectory"/> (only once the model and data have loaded).</summary>
    public bool Overwrite { get; init; }
}
