using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Training.FineTuning;
using Paraphrase.Core.Artifacts;

namespace Paraphrase.Worker;

/// <summary>Feeds the trainer's progress into the heartbeat, and uploads each checkpoint as soon as it is written.</summary>
internal sealed partial class TrainingJobObserver(JobHeartbeat heartbeat, int epochs, Action<string> checkpointWritten, ILogger logger) : ITrainingObserver
{
    private int _totalSteps;

    public void OnStart(int totalSteps, int completedSteps, string device)
    {
        _totalSteps = totalSteps;
        heartbeat.Progress = new JobProgress(0, epochs, completedSteps, totalSteps, null, null, $"training on {device}");
    }

    public void OnStep(TrainingStepInfo step) =>
        heartbeat.Progress = new JobProgress(step.Epoch, epochs, step.Step, step.TotalSteps, step.Loss, step.StepsPerSecond);

    public void OnEpoch(EpochRecord record)
    {
        var metrics = record.Evaluation.Metrics;
        Epoch(logger, record.Epoch, metrics.Accuracy, metrics.F1);
        heartbeat.Progress = (heartbeat.Progress ?? new JobProgress(record.Epoch, epochs, 0, _totalSteps, null, null)) with
        {
            Message = $"epoch {record.Epoch}: dev accuracy {metrics.Accuracy:F4}, F1 {metrics.F1:F4}",
        };
    }

    public void OnMessage(string message) => Message(logger, message);

    public void OnCheckpoint(string runDirectory) => checkpointWritten(runDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch}: dev accuracy {Accuracy:F4}, F1 {F1:F4}")]
    private static partial void Epoch(ILogger logger, int epoch, double accuracy, double f1);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void Message(ILogger logger, string message);
}
