using Paraphrase.Core.Collation;
using Paraphrase.Core.Metrics;
using Paraphrase.Training.Data;
using Paraphrase.Training.Modeling;
using static TorchSharp.torch;

namespace Paraphrase.Training.FineTuning;

/// <summary>Runs a classifier over a labelled split in file order: mean cross-entropy, predictions, metrics.</summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(BertForSequenceClassification model, TokenizedDataset data, int batchSize, Device device, int paddingId,
        ScalarType? precision = null)
    {
        var (loss, predictions) = Predict(model, data, batchSize, device, paddingId, precision);
        return new EvaluationResult(loss, ClassificationMetrics.From(data.Labels, predictions));
    }

    /// <returns>The mean cross-entropy over all pairs and the predicted label of each, in order.</returns>
    public static (double Loss, int[] Predictions) Predict(BertForSequenceClassification model, TokenizedDataset data, int batchSize, Device device, int paddingId,
        ScalarType? precision = null)
    {
        bool wasTraining = model.training;
        model.eval();
        var collator = new PaddingCollator(paddingId);
        var predictions = new int[data.Count];
        double lossSum = 0;
        try
        {
            using var noGrad = no_grad();
            using var autocast = Autocast.Enable(precision);
            foreach (var indices in BatchPlan.Sequential(data.Count, batchSize))
            {
                using var scope = NewDisposeScope();
                var batch = BatchTensors.From(collator.Collate(data.Pairs, data.Labels, indices), device);
                var logits = model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
                lossSum += nn.functional.cross_entropy(logits, batch.Labels!, reduction: nn.Reduction.Sum).item<float>();
                var predicted = logits.argmax(1).cpu().data<long>().ToArray();
                for (int i = 0; i < indices.Length; i++)
                {
                    predictions[indices[i]] = (int)predicted[i];
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }

        return (lossSum / Math.Max(1, data.Count), predictions);
    }
}
