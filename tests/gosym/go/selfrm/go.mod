module example.com/selfrm

go 1.19
