namespace Paraphrase.Serving;

/// <summary>
/// How many pairs wait for a batch, and the bound on it: a request is admitted whole or not at all, so a saturated
/// service answers 503 at once instead of queueing without end.
/// </summary>
public sealed class AdmissionControl(ServingOptions options)
{
    private int _queueDepth;

    /// <summary>Pairs waiting for a batch right now.</summary>
    public int QueueDepth => Volatile.Read(ref _queueDepth);

    /// <summary>Counts <paramref name="pairs"/> as queued unless that would exceed the queue's capacity.</summary>
    public bool TryAdmit(int pairs)
    {
        int depth;
        do
        {
            depth = Volatile.Read(ref _queueDepth);
            if (depth + pairs > options.QueueCapacity)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _queueDepth, depth + pairs, depth) != depth);

        return true;
    }

    /// <summary>Pairs that left the queue for a batch.</summary>
    public void Release(int pairs) => Interlocked.Add(ref _queueDepth, -pairs);
}
