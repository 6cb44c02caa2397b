using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Paraphrase.Core.Collation;

namespace Paraphrase.Inference;

/// <summary>A padded batch as the int64 [batch, sequence] inputs BERT exports take, under Hugging Face's names.</summary>
public static class OnnxInputs
{
    public static List<NamedOnnxValue> From(PaddedBatch batch, bool withTokenTypes = true)
    {
        int[] shape = [batch.BatchSize, batch.SequenceLength];
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(batch.InputIds, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(batch.AttentionMask, shape)),
        };
        if (withTokenTypes)
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(batch.TokenTypeIds, shape)));
        }

        return inputs;
    }
}
