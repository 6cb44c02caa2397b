using Paraphrase.Cli;

return CliApplication.Run(args);
