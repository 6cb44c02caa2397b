using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Data;
using Paraphrase.Training.Modeling;
using static TorchSharp.torch;

namespace Paraphrase.Training.Import;

/// <summary>
/// Proves an import: the original ONNX file, run by ONNX Runtime, and the TorchSharp model built from the
/// recovered weights must give the same outputs (last hidden state and pooled output of an encoder export,
/// or logits of a classifier export) on a padded sample batch.
/// </summary>
public static class OnnxImportVerifier
{
    private static readonly (string, string)[] SamplePairs =
    [
        ("The company said its profit rose 10 percent.", "Profits at the company increased by a tenth."),
        ("He left.", "She stayed at home all day because of the storm, reading a long novel."),
        ("Amrozi accused his brother of deliberately distorting his evidence.", "Referring to him as only the witness, Amrozi accused his brother."),
    ];

    /// <returns>The largest absolute difference between the two.</returns>
    public static double MaxDifference(string onnxPath, BertForSequenceClassification model, BertWordPieceTokenizer tokenizer)
    {
        var encoded = SamplePairs.Select(p => tokenizer.Encode(p.Item1, p.Item2)).ToList();
        var batch = new PaddingCollator(tokenizer.PaddingId).Collate(encoded, null, [.. Enumerable.Range(0, encoded.Count)]);
        using var session = new InferenceSession(onnxPath);
        var inputs = session.InputMetadata.Select(input => NamedOnnxValue.CreateFromTensor(input.Key, ToTensor(input.Key, input.Value, batch))).ToList();
        using var results = session.Run(inputs);
        var outputs = results.ToDictionary(r => r.Name, r => r.AsTensor<float>());

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = model.training;
        model.eval();
        var tensors = BatchTensors.From(batch, CPU);
        try
        {
            if (outputs.TryGetValue("logits", out var logits))
            {
                return MaxDifference(logits, model.call(tensors.InputIds, tensors.TokenTypeIds, tensors.AttentionMask));
            }

            var (sequence, pooled) = model.Bert.Encode(tensors.InputIds, tensors.TokenTypeIds, tensors.AttentionMask);
            var ordered = session.OutputMetadata.Keys.Select(k => outputs[k]).ToList();
            double difference = MaxDifference(ordered[0], sequence);
            if (ordered.Count > 1 && ordered[1].Dimensions.Length == 2)
            {
                difference = Math.Max(difference, MaxDifference(ordered[1], pooled));
            }

            return difference;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static DenseTensor<long> ToTensor(string name, NodeMetadata metadata, PaddedBatch batch)
    {
        long[] data = name switch
        {
            "input_ids" => batch.InputIds,
            "attention_mask" => batch.AttentionMask,
            "token_type_ids" => batch.TokenTypeIds,
            _ => throw new ModelFormatException($"the ONNX model has an input '{name}'; a BERT export takes input_ids, attention_mask and token_type_ids."),
        };
        if (metadata.ElementType != typeof(long))
        {
            throw new ModelFormatException($"the ONNX input '{name}' is {metadata.ElementType.Name}; BERT exports use int64 ids.");
        }

        return new DenseTensor<long>(data, [batch.BatchSize, batch.SequenceLength]);
    }

    private static double MaxDifference(Tensor<float> expected, TorchSharp.torch.Tensor actual)
    {
        var values = actual.contiguous().data<float>().ToArray();
        if (values.Length != expected.Length)
        {
            throw new ModelFormatException($"the ONNX output has {expected.Length} values where the imported model gives {values.Length}.");
        }

        double worst = 0;
        int i = 0;
        foreach (float value in expected)
        {
            worst = Math.Max(worst, Math.Abs(value - values[i++]));
        }

        return worst;
    }
}
