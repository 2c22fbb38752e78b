using System.CommandLine;
using Vigil.Cli.Commands;

var root = new RootCommand("Vigil finds terrorist and violent-extremist content and hate speech, with evidence and legal basis.")
{
    ScanCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    ListsCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
