using SharpFuzz;
using Vigil.Fuzz;

// vigil fuzz harness (tools/fuzz.sh runs it under afl++):
//   Vigil.Fuzz TARGET              read inputs from afl++ (SharpFuzz's out-of-process runner)
//   Vigil.Fuzz TARGET FILE...      run the harness once on each file and say what happened (triage, replaying crashes)
//   Vigil.Fuzz --list              the targets, their parsers and what counts as a crash
if (args.Length == 0 || args[0] is "--list" or "-h" or "--help")
{
    foreach (var t in FuzzTargets.All)
    {
        Console.WriteLine($"{t.Name}\n  parser: {t.Parser}\n  crash:  {t.Crash}");
    }

    return args.Length == 0 ? 2 : 0;
}

if (FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; the targets are {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    return 2;
}

if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        _ = target.Run(buffer.ToArray());
    });
    return 0;
}

int failures = 0;
foreach (var file in args.Skip(1))
{
    try
    {
        Console.WriteLine($"ok     {file}: {target.Run(File.ReadAllBytes(file))}");
    }
    catch (Exception e)
    {
        failures++;
        Console.WriteLine($"CRASH  {file}: {e.GetType().FullName}: {e.Message}");
        Console.WriteLine(e.StackTrace);
    }
}

return failures == 0 ? 0 : 1;
