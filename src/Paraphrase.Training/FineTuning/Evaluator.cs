using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Metrics;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Data;
using Paraphrase.Training.Modeling;
using static TorchSharp.torch;

namespace Paraphrase.Training.FineTuning;

/// <summary>Runs a classifier over a labelled split in file order: mean cross-entropy, predictions, metrics.</summary>
public static class Evaluator
{
    /// <exception cref="OperationCanceledException">Cancelled between two batches.</exception>
    public static EvaluationResult Evaluate(BertForSequenceClassification model, TokenizedDataset data, int batchSize, Device device, int paddingId,
        ScalarType? precision = null, CancellationToken cancellationToken = default)
    {
        var (loss, predictions) = Predict(model, data, batchSize, device, paddingId, precision, cancellationToken);
        return new EvaluationResult(loss, ClassificationMetrics.From(data.Labels, predictions));
    }

    /// <returns>The mean cross-entropy over all pairs and the predicted label of each, in order.</returns>
    public static (double Loss, int[] Predictions) Predict(BertForSequenceClassification model, TokenizedDataset data, int batchSize, Device device, int paddingId,
        ScalarType? precision = null, CancellationToken cancellationToken = default)
    {
        var predictions = new int[data.Count];
        double lossSum = 0;
        RunBatches(model, data.Pairs, data.Labels, batchSize, device, paddingId, precision, (indices, logits, labels) =>
        {
            lossSum += nn.functional.cross_entropy(logits, labels!, reduction: nn.Reduction.Sum).item<float>();
            var predicted = logits.argmax(1).cpu().data<long>().ToArray();
            for (int i = 0; i < indices.Length; i++)
            {
                predictions[indices[i]] = (int)predicted[i];
            }
        }, cancellationToken);
        return (lossSum / Math.Max(1, data.Count), predictions);
    }

    /// <summary>The raw logits of each pair, in order (unlabelled data welcome).</summary>
    public static float[][] Logits(BertForSequenceClassification model, IReadOnlyList<EncodedPair> pairs, int batchSize, Device device, int paddingId,
        CancellationToken cancellationToken = default)
    {
        var result = new float[pairs.Count][];
        RunBatches(model, pairs, null, batchSize, device, paddingId, null, (indices, logits, _) =>
        {
            var values = logits.cpu().data<float>().ToArray();
            int labels = values.Length / indices.Length;
            for (int i = 0; i < indices.Length; i++)
            {
                result[indices[i]] = values[(i * labels)..((i + 1) * labels)];
            }
        }, cancellationToken);
        return result;
    }

    /// <summary>Runs the model in eval mode over sequential batches, handing each batch's logits (and labels) to <paramref name="use"/>.</summary>
    private static void RunBatches(BertForSequenceClassification model, IReadOnlyList<EncodedPair> pairs, IReadOnlyList<int>? labels, int batchSize,
        Device device, int paddingId, ScalarType? precision, Action<int[], Tensor, Tensor?> use, CancellationToken cancellationToken)
    {
        bool wasTraining = model.training;
        model.eval();
        var collator = new PaddingCollator(paddingId);
        try
        {
            using var noGrad = no_grad();
            using var autocast = Autocast.Enable(precision, device);
            foreach (var indices in BatchPlan.Sequential(pairs.Count, batchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = BatchTensors.From(collator.Collate(pairs, labels, indices), device);
                use(indices, model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask), batch.Labels);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
