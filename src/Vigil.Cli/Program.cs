using System.CommandLine;
using Vigil.Cli.Commands;

var root = new RootCommand("Vigil finds terrorist and violent-extremist content and hate speech, with evidence and legal basis.")
{
    ScanCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    ListsCommand.Create(),
    ServeCommand.Create(),
    UserCommand.Create(),
    KeyCommand.Create(),
    AuditCommand.Create(),
    HashCommand.Create(),
    BankCommand.Create(),
    MatchCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
