using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Paraphrase.Cli.Console;

/// <summary>Logging of long-running commands: the project's own messages at information, everything else at warning, on standard error.</summary>
internal static class LogSetup
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(logging =>
    {
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.AddFilter((category, level) => level >= (verbose || category?.StartsWith("Paraphrase.", StringComparison.Ordinal) == true ? LogLevel.Information : LogLevel.Warning));
    });
}
