using System.Reflection;
using System.Runtime.Loader;

namespace Paraphrase.Infra.Tests;

/// <summary>
/// The options a <c>paraphrase</c> command accepts, read by reflection from the built CLI: each settings property's
/// Spectre.Console.Cli <c>[CommandOption("--name &lt;VALUE&gt;")]</c>. The CLI loads into a load context of its own (its
/// dependencies resolved from its output through its deps.json), so this project never references LibTorch.
/// </summary>
internal static class CliOptions
{
    private const string CommandOptionAttribute = "Spectre.Console.Cli.CommandOptionAttribute";

    /// <param name="settingsType">The command's settings type, e.g. <c>Paraphrase.Cli.Commands.WorkerCommand+Options</c>.</param>
    public static IReadOnlySet<string> Of(string settingsType)
    {
        string assemblyPath = InfraPaths.ParaphraseCliAssembly;
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"the paraphrase CLI is not built at {assemblyPath}");
        }

        var context = new AssemblyLoadContext("paraphrase-cli", isCollectible: true);
        var resolver = new AssemblyDependencyResolver(assemblyPath);
        context.Resolving += (loader, name) => resolver.ResolveAssemblyToPath(name) is { } path ? loader.LoadFromAssemblyPath(path) : null;
        try
        {
            var type = context.LoadFromAssemblyPath(assemblyPath).GetType(settingsType, throwOnError: true)!;
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                foreach (var attribute in property.GetCustomAttributesData().Where(a => a.AttributeType.FullName == CommandOptionAttribute))
                {
                    // "--storage <CONNECTION>", "-v|--verbose": the names are the first word, split at '|'.
                    string template = (string)attribute.ConstructorArguments[0].Value!;
                    names.UnionWith(template.Split(' ')[0].Split('|'));
                }
            }

            return names;
        }
        finally
        {
            context.Unload();
        }
    }
}
