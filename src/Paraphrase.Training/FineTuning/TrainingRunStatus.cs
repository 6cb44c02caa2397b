namespace Paraphrase.Training.FineTuning;

/// <summary>How a <see cref="TrainingRun"/> ended.</summary>
public enum TrainingRunStatus
{
    /// <summary>Every epoch ran (or early stopping ended the run); the best model is in the run directory.</summary>
    Completed,

    /// <summary>Cancelled: a checkpoint was saved, and the same request with Resume continues it exactly.</summary>
    Interrupted,

    /// <summary>The request could not be carried out (bad data, model, options or output directory); the error says why.</summary>
    Failed,
}
