using System.Runtime.InteropServices;

namespace Paraphrase.Training.Runtime;

/// <summary>
/// LibTorch's own autocast state (<c>at::autocast</c>), which TorchSharp does not bind: C++ functions exported by
/// libtorch_cpu, called by their mangled names. The state is per thread, as in PyTorch. Device and scalar types are
/// c10's one-byte enums, whose values TorchSharp's <c>DeviceType</c> and <c>ScalarType</c> share.
/// </summary>
internal static partial class LibTorchAutocastNative
{
    private const string Library = "libtorch_cpu";

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool IsEnabled(sbyte deviceType);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb")]
    public static partial void SetEnabled(sbyte deviceType, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE")]
    public static partial sbyte GetDtype(sbyte deviceType);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE")]
    public static partial void SetDtype(sbyte deviceType, sbyte scalarType);

    /// <returns>The nesting depth after entering.</returns>
    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast17increment_nestingEv")]
    public static partial int IncrementNesting();

    /// <returns>The nesting depth after leaving; 0 when the outermost scope has exited.</returns>
    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast17decrement_nestingEv")]
    public static partial int DecrementNesting();

    /// <summary>Frees the low-precision copies of weights that autocast keeps while a scope is open.</summary>
    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast11clear_cacheEv")]
    public static partial void ClearCache();
}
