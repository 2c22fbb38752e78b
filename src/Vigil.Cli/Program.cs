using System.CommandLine;
using System.Runtime.InteropServices;
using Vigil.Cli;
using Vigil.Cli.Commands;

var root = VigilCli.Create();

// The first Ctrl+C (SIGINT) or SIGTERM asks the running command to stop cleanly: vigil scan, say, ends its output at a
// record boundary and exits with 130. A second one ends the process at once.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
    return await VigilCli.InvokeAsync(root, args, invocation, stop.Token);
}
catch (IOException e)
{
    // An output that cannot be written (a full disk, say) or a device that fails is not a bug: say so, without a stack
    // trace. Commands report the problems they expect themselves; this catches the rest.
    Console.Error.WriteLine($"vigil: {e.Message}");
    return ExitCodes.Fatal;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("vigil: cancelled");
    return ExitCodes.Cancelled;
}
catch (Exception e)
{
    Console.Error.WriteLine($"vigil: unexpected error; this is a bug, please report it with what follows.\n{e}");
    return ExitCodes.Fatal;
}
