namespace Paraphrase.Infra.Tests;

/// <summary>The trainer Container Apps job's command line, as compiled.</summary>
internal static class TrainerJob
{
    /// <summary>Its container's command then its args, each value resolved to what main.bicep passes.</summary>
    public static List<string> CommandLine(ArmResource job)
    {
        var container = job.Properties["template"]!["containers"]!.AsArray().Single()!;
        return [.. new[] { "command", "args" }
            .SelectMany(part => container[part]?.AsArray() ?? [])
            .Select(token => job.Deployment.ResolveText(token))];
    }

    /// <summary>Each option of the command line with the word after it (empty for a flag).</summary>
    public static Dictionary<string, string> Arguments(ArmResource job)
    {
        var tokens = CommandLine(job);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].StartsWith('-'))
            {
                bool hasValue = i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-');
                options.Add(tokens[i], hasValue ? tokens[i + 1] : "");
            }
        }

        return options;
    }
}
