// The usage synopses VBoxManage prints after a syntax error, abridged from its manual pages.

export const USAGE: Record<string, string> = {
  createvm: 'Usage - Create a new virtual machine:\n\n  VBoxManage createvm --name=name [--basefolder=basefolder] [--default]\n      [--groups=group-ID[,...]] [--ostype=ostype] [--register] [--uuid=uuid]\n',
  modifyvm: 'Usage - Change settings for a virtual machine that is stopped:\n\n  VBoxManage modifyvm <uuid|vmname> [--name=name] [--ostype=OS-type] [--memory=RAM-size-in-MB] ...\n',
  storagectl: 'Usage - Manage a storage controller:\n\n  VBoxManage storagectl <uuid|vmname> --name=controller-name [--add=floppy|ide|pcie|sas|sata|scsi|usb]\n      [--controller=...] [--bootable=on|off] [--portcount=count] [--remove] [--rename=new-controller-name]\n',
  storageattach: 'Usage - Attach, remove, and modify storage media used by a virtual machine:\n\n  VBoxManage storageattach <uuid|vmname> --storagectl=name [--device=number] [--port=number]\n      [--type=dvddrive|fdd|hdd] [--medium=none|emptydrive|additions|uuid|filename|host:drive|iscsi] ...\n',
  createmedium: 'Usage - Create a new medium:\n\n  VBoxManage createmedium [disk|dvd|floppy] --filename=filename [--size=megabytes | --sizebyte=bytes]\n      [--diffparent=UUID | filename] [--format=VDI | VMDK | VHD] [--variant Standard,Fixed,...]\n',
  startvm: 'Usage - Start a virtual machine:\n\n  VBoxManage startvm <uuid|vmname...> [--putenv=name[=value]] [--type=[gui | headless | sdl | separate]]\n',
  controlvm: 'Usage - Change state and settings for a running virtual machine:\n\n  VBoxManage controlvm <uuid|vmname> pause|resume|reset|poweroff|acpipowerbutton|keyboardputscancode <hex> [<hex>...]|screenshotpng <filename> [display] ...\n',
  showvminfo: 'Usage - Show configuration information or log file contents for a virtual machine:\n\n  VBoxManage showvminfo <uuid|vmname> [--details] [--machinereadable]\n  VBoxManage showvminfo <uuid|vmname> <--log=index>\n',
  unregistervm: 'Usage - Unregister a virtual machine:\n\n  VBoxManage unregistervm <uuid|vmname> [--delete] [--delete-all]\n',
  export: 'Usage - Export one or more virtual machines to a virtual appliance or to a cloud service:\n\n  VBoxManage export <machines> <--output=name> [--legacy09 | --ovf09 | --ovf10 | --ovf20] [--manifest] ...\n',
  closemedium: 'Usage - Remove a hard disk, DVD, or floppy image from the media registry:\n\n  VBoxManage closemedium [disk | dvd | floppy] <uuid | filename> [--delete]\n',
  list: 'Usage - List system information and configuration:\n\n  VBoxManage list [--long] [--sorted] vms | runningvms | hdds | dvds | ...\n',
};
