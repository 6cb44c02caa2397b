namespace Paraphrase.Core.Artifacts;

/// <summary>One epoch of a run: training loss, evaluation on the dev split, and how long it took.</summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double LearningRateAtEnd,
    EvaluationResult Evaluation,
    double Seconds,
    double StepsPerSecond);
