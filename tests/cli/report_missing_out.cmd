report --out ../report/data/no_such_folder
