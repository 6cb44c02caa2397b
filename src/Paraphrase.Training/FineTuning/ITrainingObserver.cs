using Paraphrase.Core.Artifacts;

namespace Paraphrase.Training.FineTuning;

/// <summary>Receives a run's progress (progress bars, logs). Called on the training thread.</summary>
public interface ITrainingObserver
{
    void OnStart(int totalSteps, int completedSteps, string device);

    void OnStep(TrainingStepInfo step);

    void OnEpoch(EpochRecord record);

    void OnMessage(string message);
}

/// <summary>One optimizer step: position, loss of the step, learning rate used, recent speed.</summary>
public sealed record TrainingStepInfo(int Epoch, int Step, int TotalSteps, double Loss, double LearningRate, double StepsPerSecond);
