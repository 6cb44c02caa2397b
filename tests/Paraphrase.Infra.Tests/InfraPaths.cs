using System.Reflection;
using System.Runtime.Versioning;

// The Bicep CLI comes as its linux-x64 build, and the hook and Dockerfile checks assume a POSIX system.
[assembly: SupportedOSPlatform("linux")]

namespace Paraphrase.Infra.Tests;

/// <summary>Where the repository, the Bicep CLI and the built <c>paraphrase</c> CLI are (recorded by the project file).</summary>
internal static class InfraPaths
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string Infra { get; } = Path.Combine(RepositoryRoot, "infra");

    public static string BicepExecutable { get; } = Metadata("BicepExecutable");

    public static string ParaphraseCliAssembly { get; } = Metadata("ParaphraseCliAssembly");

    public static string InRepository(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    private static string Metadata(string key)
    {
        string? value = typeof(InfraPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value;
        return string.IsNullOrEmpty(value) ? throw new InvalidOperationException($"assembly metadata '{key}' is missing: build this project with dotnet build") : value;
    }
}
