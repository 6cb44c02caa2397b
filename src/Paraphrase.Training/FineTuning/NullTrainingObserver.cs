using Paraphrase.Core.Artifacts;

namespace Paraphrase.Training.FineTuning;

/// <summary>An observer that ignores progress, for callers that only want the result.</summary>
public sealed class NullTrainingObserver : ITrainingObserver
{
    public static NullTrainingObserver Instance { get; } = new();

    private NullTrainingObserver()
    {
    }

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
