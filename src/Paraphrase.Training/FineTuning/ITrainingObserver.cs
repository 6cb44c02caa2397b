using Paraphrase.Core.Artifacts;

namespace Paraphrase.Training.FineTuning;

/// <summary>Receives a run's progress (progress bars, logs). Called on the training thread.</summary>
public interface ITrainingObserver
{
    void OnStart(int totalSteps, int completedSteps, string device);

    void OnStep(TrainingStepInfo step);

    void OnEpoch(EpochRecord record);

    void OnMessage(string message);

    /// <summary>
    /// A checkpoint was just written to <paramref name="runDirectory"/> (after an epoch, or on interruption): the run
    /// directory is consistent now, e.g. to copy it elsewhere before training goes on.
    /// </summary>
    void OnCheckpoint(string runDirectory)
    {
    }
}

/// <summary>One optimizer step: position, loss of the step, learning rate used, recent speed.</summary>
public sealed record TrainingStepInfo(int Epoch, int Step, int TotalSteps, double Loss, double LearningRate, double StepsPerSecond);
