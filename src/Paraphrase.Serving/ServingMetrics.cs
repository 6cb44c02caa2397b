using System.Diagnostics.Metrics;

namespace Paraphrase.Serving;

/// <summary>
/// The service's figures as <see cref="System.Diagnostics.Metrics"/> instruments on the <see cref="MeterName"/> meter:
/// OpenTelemetry exports them, for Prometheus at <c>/metrics</c> and to Application Insights in Azure.
/// </summary>
public sealed class ServingMetrics
{
    public const string MeterName = "Paraphrase.Serving";

    /// <summary>The meter's <c>server</c> tag (Prometheus: <c>otel_scope_server</c>).</summary>
    public const string ServerTag = "server";

    /// <summary>
    /// Tells this server's series apart from those of another server in the same process: metric listeners are
    /// process-wide, so each exporter sees every meter of the same name.
    /// </summary>
    public string Server { get; } = Guid.NewGuid().ToString("N")[..8];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _batchSize;
    private long _swaps;

    public ServingMetrics(IMeterFactory meters, AdmissionControl admission, ModelRegistry models)
    {
        var meter = meters.Create(new MeterOptions(MeterName) { Tags = [new KeyValuePair<string, object?>(ServerTag, Server)] });
        _requests = meter.CreateCounter<long>("paraphrase.requests", "{request}", "HTTP requests to /api/paraphrase by status code.");
        _duration = meter.CreateHistogram("paraphrase.request.duration", "s", "Time to answer /api/paraphrase.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _batchSize = meter.CreateHistogram("paraphrase.batch.size", "{pair}", "Pairs per ONNX Runtime call.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
        // Observed rather than added to, so that it reads 0 before the first swap instead of being absent.
        meter.CreateObservableCounter("paraphrase.model.swaps", () => Interlocked.Read(ref _swaps), "{swap}", "Models replaced while serving.");
        meter.CreateObservableGauge("paraphrase.queue.depth", () => admission.QueueDepth, "{pair}", "Pairs waiting for a batch.");
        meter.CreateObservableGauge("paraphrase.model.loaded", () => models.Current is null ? 0 : 1, "{model}",
            "Whether a model is being served (0 until the first one is promoted).");
        meter.CreateObservableGauge("paraphrase.model.info", () => ModelInfo(models.Current), "{model}", "The model being served (value: 1).");
    }

    public void RecordRequest(int status, double seconds)
    {
        _requests.Add(1, new KeyValuePair<string, object?>("status", status));
        _duration.Record(seconds);
    }

    public void RecordBatch(int pairs) => _batchSize.Record(pairs);

    public void RecordSwap() => Interlocked.Increment(ref _swaps);

    private static IEnumerable<Measurement<int>> ModelInfo(ServedModel? model) => model is null ? [] :
    [
        new Measurement<int>(1, new KeyValuePair<string, object?>("source", model.Source),
            new KeyValuePair<string, object?>("file", Path.GetFileName(model.Classifier.ModelPath)),
            new KeyValuePair<string, object?>("provider", model.Classifier.ExecutionProvider)),
    ];
}
