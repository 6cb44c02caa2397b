namespace Paraphrase.Inference.Serving;

/// <summary>
/// The model being served, swappable while requests run: a batch takes a lease on the current model, a swap
/// publishes the new one atomically, and the old one is disposed when its last lease ends.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private ServedModel _current;

    public ModelRegistry(ParaphraseClassifier classifier, string source) => _current = new ServedModel(classifier, source, DateTimeOffset.UtcNow);

    public ServedModel Current => Volatile.Read(ref _current);

    /// <summary>The current model, kept alive until the lease is disposed.</summary>
    public ModelLease Acquire()
    {
        while (true)
        {
            var model = Current;
            if (model.TryEnter())
            {
                return new ModelLease(model);
            }
        }
    }

    /// <summary>Serves <paramref name="classifier"/> from now on; the previous model goes when its batches finish.</summary>
    public void Swap(ParaphraseClassifier classifier, string source)
    {
        var previous = Interlocked.Exchange(ref _current, new ServedModel(classifier, source, DateTimeOffset.UtcNow));
        previous.Retire();
    }

    public void Dispose() => Current.Retire();
}

/// <summary>A loaded model and how many batches are using it.</summary>
public sealed class ServedModel(ParaphraseClassifier classifier, string source, DateTimeOffset loaded)
{
    private int _users = 1; // the registry's own reference, dropped on Retire

    public ParaphraseClassifier Classifier { get; } = classifier;

    public string Source { get; } = source;

    public DateTimeOffset Loaded { get; } = loaded;

    internal bool TryEnter()
    {
        int users;
        do
        {
            users = Volatile.Read(ref _users);
            if (users == 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _users, users + 1, users) != users);

        return true;
    }

    internal void Exit()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            Classifier.Dispose();
        }
    }

    internal void Retire() => Exit();
}

/// <summary>Use of a model for one batch.</summary>
public readonly struct ModelLease(ServedModel model) : IDisposable
{
    public ServedModel Model { get; } = model;

    public void Dispose() => Model.Exit();
}
