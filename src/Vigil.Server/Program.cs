using Vigil.Server;

// `dotnet run --project src/Vigil.Server -- --Vigil:Database=./vigil.db` runs the service without the CLI; users run `vigil serve`.
var app = await VigilApp.BuildAsync(args);
await app.RunAsync();
