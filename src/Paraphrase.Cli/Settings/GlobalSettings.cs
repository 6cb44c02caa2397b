using System.ComponentModel;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Settings;

/// <summary>Options every command accepts.</summary>
public class GlobalSettings : CommandSettings
{
    [CommandOption("--verbose")]
    [Description("Show full error details (stack traces) when something fails.")]
    public bool Verbose { get; init; }
}
