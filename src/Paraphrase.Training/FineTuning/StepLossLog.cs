using static TorchSharp.torch;

namespace Paraphrase.Training.FineTuning;

/// <summary>
/// Each optimizer step's training loss, kept on the device and read back in one transfer every
/// <c>readEvery</c> steps: reading a value from a GPU waits for all queued work, so reading one per step
/// would stall the step pipeline. Steps are recorded and reported to the observer when they are read.
/// </summary>
internal sealed class StepLossLog(int readEvery, List<double> losses, ITrainingObserver observer) : IDisposable
{
    private readonly List<(TrainingStepInfo Step, Tensor Loss)> _pending = [];

    /// <summary>Takes ownership of <paramref name="loss"/>, a scalar on the device; <paramref name="step"/>'s loss is filled in when read.</summary>
    public void Add(TrainingStepInfo step, Tensor loss)
    {
        _pending.Add((step, loss));
        if (_pending.Count >= readEvery)
        {
            Read();
        }
    }

    /// <summary>Reads every pending loss (one wait for the device), records and reports them.</summary>
    public void Read()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        float[] values;
        using (var scope = NewDisposeScope())
        {
            values = stack(_pending.Select(p => p.Loss)).cpu().data<float>().ToArray();
        }

        for (int i = 0; i < _pending.Count; i++)
        {
            losses.Add(values[i]);
            observer.OnStep(_pending[i].Step with { Loss = values[i] });
        }

        Dispose();
    }

    public void Dispose()
    {
        foreach (var (_, loss) in _pending)
        {
            loss.Dispose();
        }

        _pending.Clear();
    }
}
