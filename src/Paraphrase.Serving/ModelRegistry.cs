namespace Paraphrase.Serving;

/// <summary>
/// The model being served, swappable while requests run: a batch takes a lease on the current model, a swap
/// publishes the new one atomically, and the old one is disposed when its last lease ends. The registry may
/// be empty: the pipeline's host starts before anything has been promoted.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private ServedModel? _current;

    /// <summary>An empty registry; the first <see cref="Swap"/> fills it.</summary>
    public ModelRegistry()
    {
    }

    public ModelRegistry(ParaphraseClassifier classifier, string source) => _current = new ServedModel(classifier, source, DateTimeOffset.UtcNow);

    /// <summary>The model served now, or null before the first one is loaded (and after disposal).</summary>
    public ServedModel? Current => Volatile.Read(ref _current);

    /// <summary>The current model, kept alive until the lease is disposed; false when there is none.</summary>
    public bool TryAcquire(out ModelLease lease)
    {
        while (Current is { } model)
        {
            // Entering fails only if a swap retired this model between the read and now: read again.
            if (model.TryEnter())
            {
                lease = new ModelLease(model);
                return true;
            }
        }

        lease = default;
        return false;
    }

    /// <summary>Serves <paramref name="classifier"/> from now on; the previous model goes when its batches finish.</summary>
    public void Swap(ParaphraseClassifier classifier, string source)
    {
        var previous = Interlocked.Exchange(ref _current, new ServedModel(classifier, source, DateTimeOffset.UtcNow));
        previous?.Retire();
    }

    // Emptied rather than just retired, so that a late batch finds no model instead of spinning on a retired one.
    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Retire();
}
