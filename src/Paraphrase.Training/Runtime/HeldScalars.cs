using TorchSharp;

namespace Paraphrase.Training.Runtime;

/// <summary>
/// Numbers for LibTorch that stay alive. TorchSharp turns a number passed where a Scalar is expected (and the implicit
/// "alpha = 1" of <c>a + b</c>, <c>add_</c>, …) into a temporary native Scalar that nothing references during the
/// native call; when another thread triggers a garbage collection at that moment, the finalizer frees it while LibTorch
/// still reads it, and the call fails at random with "Expected false to be true". So this project passes numbers as
/// Scalars it holds: constants from here, other values in a <c>using</c> around the call.
/// </summary>
public static class HeldScalars
{
    public static Scalar One { get; } = 1.ToScalar();
}
