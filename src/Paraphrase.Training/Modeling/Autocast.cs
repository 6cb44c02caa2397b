using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>
/// Mixed precision in the manner of PyTorch's autocast, which TorchSharp lacks (dotnet/TorchSharp#1235):
/// while a scope is open on this thread, matrix multiplications (the linear layers and attention) run in
/// the scope's low-precision type, while weights, LayerNorm, softmax statistics, losses and optimizer state
/// stay float32. Used for bf16 training on GPUs; everything else runs in float32 as before.
/// </summary>
public static class Autocast
{
    [ThreadStatic]
    private static ScalarType? _current;

    /// <summary>The low-precision type in force on this thread, or null for float32 everywhere.</summary>
    public static ScalarType? Current => _current;

    public static IDisposable Enable(ScalarType? type) => new Scope(type);

    /// <summary>Most negative finite value of <paramref name="type"/>, for masking attention scores.</summary>
    public static float MaskValue(ScalarType type) => type == ScalarType.BFloat16 ? -3.38e38f : type == ScalarType.Float16 ? -65504f : float.MinValue;

    private sealed class Scope : IDisposable
    {
        private readonly ScalarType? _previous = _current;

        public Scope(ScalarType? type) => _current = type;

        public void Dispose() => _current = _previous;
    }
}
