using System.Globalization;
using Paraphrase.Core.Artifacts;
using Paraphrase.Training.FineTuning;
using Spectre.Console;

namespace Paraphrase.Cli.Console;

/// <summary>
/// Shows a run's progress: a live bar (epoch, step, loss, learning rate, steps/s, ETA) on a terminal,
/// or a line every 5% of the steps when the output is a log.
/// </summary>
internal sealed class TrainingProgressView : ITrainingObserver
{
    private ProgressTask? _task;
    private int _totalSteps;
    private int _lastLoggedStep;
    private double _smoothedLoss = double.NaN;

    /// <summary>Runs <paramref name="training"/> with this view attached.</summary>
    public T Run<T>(Func<ITrainingObserver, T> training)
    {
        if (!Terminal.Error.Profile.Capabilities.Interactive)
        {
            return training(this);
        }

        return Terminal.Error.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                _task = context.AddTask("starting", maxValue: 1);
                return training(this);
            });
    }

    public void OnStart(int totalSteps, int completedSteps, string device)
    {
        _totalSteps = totalSteps;
        _lastLoggedStep = completedSteps;
        if (_task is not null)
        {
            _task.MaxValue = totalSteps;
            _task.Value = completedSteps;
        }

        Terminal.Info($"Training on {device}: {totalSteps:N0} optimizer steps{(completedSteps > 0 ? $", {completedSteps:N0} already done" : "")}.");
    }

    public void OnStep(TrainingStepInfo step)
    {
        _smoothedLoss = double.IsNaN(_smoothedLoss) ? step.Loss : 0.98 * _smoothedLoss + 0.02 * step.Loss;
        string status = string.Create(CultureInfo.InvariantCulture,
            $"epoch {step.Epoch} step {step.Step}/{step.TotalSteps} loss {_smoothedLoss:F4} lr {step.LearningRate:E2} {step.StepsPerSecond:F2} steps/s");
        if (_task is not null)
        {
            _task.Description = Markup.Escape(status);
            _task.Value = step.Step;
        }
        else if (step.Step - _lastLoggedStep >= Math.Max(1, _totalSteps / 20) || step.Step == step.TotalSteps)
        {
            _lastLoggedStep = step.Step;
            Terminal.Info(status);
        }
    }

    public void OnEpoch(EpochRecord record)
    {
        var m = record.Evaluation.Metrics;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {record.Epoch}: train loss {record.TrainLoss:F4} | dev loss {record.Evaluation.Loss:F4} accuracy {m.Accuracy:F4} F1 {m.F1:F4} | {record.Seconds:F0} s");
        if (_task is not null)
        {
            Terminal.Error.MarkupLine(Markup.Escape(line));
        }
        else
        {
            Terminal.Info(line);
        }
    }

    public void OnMessage(string message) => Terminal.Info(message);
}
