namespace Paraphrase.Training.FineTuning;

/// <summary>An observer for callers that do not follow the training.</summary>
public sealed class NullTrainingObserver : ITrainingObserver
{
    public static NullTrainingObserver Instance { get; } = new();

    public void OnStart(int totalSteps, int completedSteps, string device)
    {
    }

    public void OnStep(TrainingStepInfo step)
    {
    }

    public void OnEpoch(EpochRecord record)
    {
    }

    public void OnMessage(string message)
    {
    }
}
