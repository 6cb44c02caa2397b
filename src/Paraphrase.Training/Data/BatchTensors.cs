using Paraphrase.Core.Collation;
using TorchSharp;
using static TorchSharp.torch;

namespace Paraphrase.Training.Data;

/// <summary>A <see cref="PaddedBatch"/> as int64 tensors on a device, named like Hugging Face's model inputs.</summary>
public sealed class BatchTensors : IDisposable
{
    private BatchTensors(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, Tensor? labels)
    {
        InputIds = inputIds;
        TokenTypeIds = tokenTypeIds;
        AttentionMask = attentionMask;
        Labels = labels;
    }

    /// <summary>(B, T)</summary>
    public Tensor InputIds { get; }

    /// <summary>(B, T)</summary>
    public Tensor TokenTypeIds { get; }

    /// <summary>(B, T), 1 for real tokens and 0 for padding.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>(B), or null for unlabelled data.</summary>
    public Tensor? Labels { get; }

    public static BatchTensors From(PaddedBatch batch, Device device)
    {
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        return new BatchTensors(
            tensor(batch.InputIds, shape, ScalarType.Int64).to(device),
            tensor(batch.TokenTypeIds, shape, ScalarType.Int64).to(device),
            tensor(batch.AttentionMask, shape, ScalarType.Int64).to(device),
            batch.Labels is null ? null : tensor(batch.Labels, ScalarType.Int64).to(device));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        TokenTypeIds.Dispose();
        AttentionMask.Dispose();
        Labels?.Dispose();
    }
}
