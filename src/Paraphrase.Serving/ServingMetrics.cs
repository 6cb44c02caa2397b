using System.Globalization;
using System.Text;

namespace Paraphrase.Serving;

/// <summary>Request, latency, batch and queue figures in Prometheus' text format.</summary>
public sealed class ServingMetrics
{
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64];

    private readonly Lock _lock = new();
    private readonly Dictionary<int, long> _requestsByStatus = [];
    private readonly long[] _latencyCounts = new long[LatencyBuckets.Length + 1];
    private readonly long[] _batchCounts = new long[BatchBuckets.Length + 1];
    private double _latencySum;
    private long _latencyTotal;
    private long _batchPairs;
    private long _batchTotal;
    private long _swaps;

    private int _queueDepth;

    /// <summary>Pairs waiting for a batch right now.</summary>
    public int QueueDepth => Volatile.Read(ref _queueDepth);

    public void AddQueued(int pairs) => Interlocked.Add(ref _queueDepth, pairs);

    /// <summary>Counts <paramref name="pairs"/> as queued unless that would exceed <paramref name="capacity"/>.</summary>
    public bool TryReserve(int pairs, int capacity)
    {
        int depth;
        do
        {
            depth = Volatile.Read(ref _queueDepth);
            if (depth + pairs > capacity)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _queueDepth, depth + pairs, depth) != depth);

        return true;
    }

    public void RecordRequest(int status, double seconds)
    {
        lock (_lock)
        {
            _requestsByStatus[status] = _requestsByStatus.GetValueOrDefault(status) + 1;
            _latencyCounts[Bucket(LatencyBuckets, seconds)]++;
            _latencySum += seconds;
            _latencyTotal++;
        }
    }

    public void RecordBatch(int pairs)
    {
        lock (_lock)
        {
            _batchCounts[Bucket(BatchBuckets.Select(b => (double)b).ToArray(), pairs)]++;
            _batchPairs += pairs;
            _batchTotal++;
        }
    }

    public void RecordSwap() => Interlocked.Increment(ref _swaps);

    /// <param name="model">The model served now; null before the first promotion.</param>
    public string Render(ServedModel? model)
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            text.AppendLine("# HELP paraphrase_requests_total HTTP requests to /api/paraphrase by status code.");
            text.AppendLine("# TYPE paraphrase_requests_total counter");
            foreach (var (status, count) in _requestsByStatus.OrderBy(e => e.Key))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"paraphrase_requests_total{{status=\"{status}\"}} {count}");
            }

            Histogram(text, "paraphrase_request_seconds", "Time to answer /api/paraphrase.", LatencyBuckets, _latencyCounts, _latencySum, _latencyTotal);
            Histogram(text, "paraphrase_batch_pairs", "Pairs per ONNX Runtime call.", [.. BatchBuckets.Select(b => (double)b)], _batchCounts, _batchPairs, _batchTotal);
        }

        text.AppendLine("# HELP paraphrase_queue_depth Pairs waiting for a batch.");
        text.AppendLine("# TYPE paraphrase_queue_depth gauge");
        text.AppendLine(CultureInfo.InvariantCulture, $"paraphrase_queue_depth {QueueDepth}");
        text.AppendLine("# HELP paraphrase_model_loaded Whether a model is being served (0 until the first one is promoted).");
        text.AppendLine("# TYPE paraphrase_model_loaded gauge");
        text.AppendLine(CultureInfo.InvariantCulture, $"paraphrase_model_loaded {(model is null ? 0 : 1)}");
        if (model is not null)
        {
            text.AppendLine("# HELP paraphrase_model_info The model being served (value: 1).");
            text.AppendLine("# TYPE paraphrase_model_info gauge");
            text.AppendLine(CultureInfo.InvariantCulture, $"paraphrase_model_info{{source=\"{Escape(model.Source)}\",file=\"{Escape(Path.GetFileName(model.Classifier.ModelPath))}\",provider=\"{model.Classifier.ExecutionProvider}\"}} 1");
        }

        text.AppendLine("# HELP paraphrase_model_swaps_total Models replaced while serving.");
        text.AppendLine("# TYPE paraphrase_model_swaps_total counter");
        text.AppendLine(CultureInfo.InvariantCulture, $"paraphrase_model_swaps_total {Interlocked.Read(ref _swaps)}");
        return text.ToString();
    }

    private static void Histogram(StringBuilder text, string name, string help, double[] bounds, long[] counts, double sum, long total)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"# HELP {name} {help}");
        text.AppendLine(CultureInfo.InvariantCulture, $"# TYPE {name} histogram");
        long cumulative = 0;
        for (int i = 0; i < bounds.Length; i++)
        {
            cumulative += counts[i];
            text.AppendLine(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"{bounds[i]}\"}} {cumulative}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"+Inf\"}} {total}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{name}_sum {sum}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{name}_count {total}");
    }

    private static int Bucket(double[] bounds, double value)
    {
        int i = 0;
        while (i < bounds.Length && value > bounds[i])
        {
            i++;
        }

        return i;
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
