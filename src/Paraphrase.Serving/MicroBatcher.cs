using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Serving;

/// <summary>
/// Coalesces pairs from concurrent requests into ONNX Runtime batches: a batch closes at the maximum size, the
/// maximum number of (padded) tokens, or after the maximum wait; pairs are sorted by length inside a batch
/// window to limit padding. Pairs are tokenized here, with the tokenizer of the model that runs them, so a hot
/// swap never mixes vocabularies. The queue is bounded: when it is full, callers are told to come back later.
/// </summary>
public sealed class MicroBatcher : BackgroundService
{
    private readonly Channel<PendingPair> _queue = Channel.CreateUnbounded<PendingPair>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ModelRegistry _models;
    private readonly ServingOptions _options;
    private readonly AdmissionControl _admission;
    private readonly ServingMetrics _metrics;

    public MicroBatcher(ModelRegistry models, ServingOptions options, AdmissionControl admission, ServingMetrics metrics)
    {
        _models = models;
        _options = options;
        _admission = admission;
        _metrics = metrics;
    }

    /// <summary>Queues all pairs of a request, or none when that would exceed the queue's capacity.</summary>
    /// <returns>The predictions in request order, or null when the service is saturated.</returns>
    public Task<ServedPrediction[]>? TryEnqueue(IReadOnlyList<(string Sentence1, string Sentence2)> pairs, CancellationToken cancellationToken)
    {
        if (!_admission.TryAdmit(pairs.Count))
        {
            return null;
        }

        var pending = pairs.Select(p => new PendingPair(p.Sentence1, p.Sentence2, new TaskCompletionSource<ServedPrediction>(TaskCreationOptions.RunContinuationsAsynchronously))).ToList();
        foreach (var item in pending)
        {
            _queue.Writer.TryWrite(item);
        }

        return Task.WhenAll(pending.Select(p => p.Result.Task)).WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var window = new List<PendingPair>();
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            window.Clear();
            using (var wait = new CancellationTokenSource(_options.MaxWait))
            {
                while (window.Count < _options.MaxBatchSize * 4)
                {
                    if (reader.TryRead(out var item))
                    {
                        window.Add(item);
                    }
                    else if (window.Count >= _options.MaxBatchSize || !await WaitForMore(reader, wait.Token, stoppingToken))
                    {
                        break;
                    }
                }
            }

            _admission.Release(window.Count);
            RunWindow(window);
        }
    }

    private static async Task<bool> WaitForMore(ChannelReader<PendingPair> reader, CancellationToken wait, CancellationToken stopping)
    {
        try
        {
            return await reader.WaitToReadAsync(wait);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private void RunWindow(List<PendingPair> window)
    {
        if (!_models.TryAcquire(out var lease))
        {
            foreach (var item in window)
            {
                item.Result.TrySetException(new NoModelException());
            }

            return;
        }

        using (lease)
        {
            RunWindow(lease.Model, window);
        }
    }

    private void RunWindow(ServedModel model, List<PendingPair> window)
    {
        var classifier = model.Classifier;
        var encoded = new List<(PendingPair Item, EncodedPair Pair)>(window.Count);
        foreach (var item in window)
        {
            try
            {
                encoded.Add((item, classifier.Tokenizer.Encode(item.Sentence1, item.Sentence2)));
            }
            catch (TokenizationException e)
            {
                item.Result.TrySetException(e);
            }
        }

        var batch = new List<(PendingPair Item, EncodedPair Pair)>();
        foreach (var entry in encoded.OrderBy(e => e.Pair.Length))
        {
            if (batch.Count > 0 && (batch.Count == _options.MaxBatchSize || (batch.Count + 1) * entry.Pair.Length > _options.MaxBatchTokens))
            {
                Run(model, batch);
                batch = [];
            }

            batch.Add(entry);
        }

        if (batch.Count > 0)
        {
            Run(model, batch);
        }
    }

    private void Run(ServedModel model, List<(PendingPair Item, EncodedPair Pair)> batch)
    {
        try
        {
            var predictions = model.Classifier.Run([.. batch.Select(b => b.Pair)]);
            for (int i = 0; i < batch.Count; i++)
            {
                batch[i].Item.Result.TrySetResult(new ServedPrediction(predictions[i], model));
            }

            _metrics.RecordBatch(batch.Count);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var (item, _) in batch)
            {
                item.Result.TrySetException(e);
            }
        }
    }

    private sealed record PendingPair(string Sentence1, string Sentence2, TaskCompletionSource<ServedPrediction> Result);
}
