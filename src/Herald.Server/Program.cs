Console.WriteLine("Herald server");
