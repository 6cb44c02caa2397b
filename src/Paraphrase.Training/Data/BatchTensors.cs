using Paraphrase.Core.Collation;
using TorchSharp;
using static TorchSharp.torch;

namespace Paraphrase.Training.Data;

/// <summary>
/// A <see cref="PaddedBatch"/> as int64 tensors on a device, named like Hugging Face's model inputs. The batch travels
/// as one buffer: on a GPU it is pinned and copied without blocking, so the host goes on queueing the step while the
/// copy runs, and there is one transfer per batch instead of four. The tensors are views of that buffer.
/// </summary>
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
        int cells = batch.BatchSize * batch.SequenceLength;
        var packed = new long[3 * cells + (batch.Labels?.Length ?? 0)];
        batch.InputIds.CopyTo(packed, 0);
        batch.TokenTypeIds.CopyTo(packed, cells);
        batch.AttentionMask.CopyTo(packed, 2 * cells);
        batch.Labels?.CopyTo(packed, 3 * cells);

        using var host = tensor(packed, ScalarType.Int64);
        using var buffer = device.type == DeviceType.CPU ? host.alias() : Upload(host, device);
        Tensor Grid(int part) => buffer.narrow(0, part * cells, cells).view(batch.BatchSize, batch.SequenceLength);
        return new BatchTensors(Grid(0), Grid(1), Grid(2), batch.Labels is null ? null : buffer.narrow(0, 3 * cells, batch.BatchSize));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        TokenTypeIds.Dispose();
        AttentionMask.Dispose();
        Labels?.Dispose();
    }

    /// <summary>
    /// Pinned (page-locked) host memory lets the copy run asynchronously; LibTorch's pinned allocator keeps the block
    /// until the copy has finished, so the host side may be released at once.
    /// </summary>
    private static Tensor Upload(Tensor host, Device device)
    {
        using var pinned = host.pin_memory();
        return pinned.to(device, non_blocking: true);
    }
}
