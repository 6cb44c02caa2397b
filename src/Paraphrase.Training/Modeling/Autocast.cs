using Paraphrase.Training.Runtime;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>
/// PyTorch's autocast, which TorchSharp lacks (dotnet/TorchSharp#1235), through LibTorch's own autocast state: while a
/// scope is open on this thread, LibTorch runs the operations that gain from it (linear layers, matrix products,
/// attention) in the scope's low-precision type, keeps the sensitive ones in float32 (per device, as PyTorch decides),
/// and caches one low-precision copy of each weight per scope. Weights, gradients and optimizer state stay float32.
/// Used for bf16 training on GPUs; with no type given a scope changes nothing.
/// </summary>
public static class Autocast
{
    /// <summary>The low-precision type in force on this thread for <paramref name="device"/>, or null for float32 everywhere (read from LibTorch).</summary>
    public static ScalarType? TypeOn(Device device)
    {
        var type = (sbyte)device.type;
        return LibTorchAutocastNative.IsEnabled(type) ? (ScalarType)LibTorchAutocastNative.GetDtype(type) : null;
    }

    /// <summary>Opens a scope on this thread for computations on <paramref name="device"/>; disposing it restores the previous state.</summary>
    public static IDisposable Enable(ScalarType? type, Device device) => type is ScalarType low ? new Scope(low, device) : NoScope.Instance;

    /// <summary>Most negative finite value of <paramref name="type"/>, for masking attention scores.</summary>
    public static float MaskValue(ScalarType type) => type == ScalarType.BFloat16 ? -3.38e38f : type == ScalarType.Float16 ? -65504f : float.MinValue;

    private sealed class Scope : IDisposable
    {
        private readonly sbyte _device;
        private readonly bool _wasEnabled;
        private readonly sbyte _previousType;

        public Scope(ScalarType type, Device device)
        {
            _device = (sbyte)device.type;
            _wasEnabled = LibTorchAutocastNative.IsEnabled(_device);
            _previousType = LibTorchAutocastNative.GetDtype(_device);
            LibTorchAutocastNative.SetDtype(_device, (sbyte)type);
            LibTorchAutocastNative.SetEnabled(_device, true);
            _ = LibTorchAutocastNative.IncrementNesting(); // the depth matters only on the way out
        }

        public void Dispose()
        {
            // As PyTorch does: the weight copies are dropped when the outermost scope exits.
            if (LibTorchAutocastNative.DecrementNesting() == 0)
            {
                LibTorchAutocastNative.ClearCache();
            }

            LibTorchAutocastNative.SetEnabled(_device, _wasEnabled);
            LibTorchAutocastNative.SetDtype(_device, _previousType);
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
